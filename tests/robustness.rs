//! Mangled inputs never panic: each of a few hundred deterministic mutations of real text and
//! of a real .docx gives a document or a clear error, never an `internal` one.

mod common;

use std::path::Path;

use juesuan::reader::ReadConfig;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Cuts, duplicates and garbles random stretches of the text.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len());
        let len = 1 + rng.below(200).min(chars.len() - at);
        match rng.below(4) {
            0 => {
                chars.drain(at..(at + len).min(chars.len()));
            }
            1 => {
                let copy: Vec<char> = chars[at..(at + len).min(chars.len())].to_vec();
                let to = rng.below(chars.len());
                chars.splice(to..to, copy);
            }
            2 => {
                for c in chars.iter_mut().skip(at).take(len) {
                    *c = ['\t', '\n', ' ', '\x0c', '（', '1', '、', '万', '元', '%'][rng.below(10)];
                }
            }
            _ => chars.insert(at, ['\t', '\x0c', '\n'][rng.below(3)]),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mangled_text_never_panics() {
    let dir = common::scratch("mangled");
    let mut sources = vec![common::sample_text()];
    if let Some(p) = common::corpus("gh_shpt_czj_2024_final_dept.layout.txt") {
        sources.push(std::fs::read_to_string(p).unwrap());
    }
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for (s, source) in sources.iter().enumerate() {
        for k in 0..150 {
            let path = dir.join(format!("m{s}-{k}.txt"));
            std::fs::write(&path, mutate(source, &mut rng)).unwrap();
            let records = juesuan::process(&path, &ReadConfig::default());
            let first = serde_json::to_value(&records[0]).unwrap();
            assert_ne!(
                first["error"],
                "internal",
                "{}: {}",
                path.display(),
                first["message"]
            );
        }
    }
}

#[test]
fn mangled_docx_never_panics() {
    let body = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>一般公共服务支出（类）财政事务（款）行政运行（项）1511.89万元</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>";
    let mut rng = Rng(42);
    // Mangled XML inside a sound package.
    for _ in 0..300 {
        let bytes = common::package(&mutate(body, &mut rng), None, None, None);
        if let Err(e) = juesuan::reader::read(Path::new("m.docx"), &bytes, &ReadConfig::default()) {
            assert!(matches!(e.kind(), "corrupt" | "too_large"), "{e}");
        }
    }
    // Mangled bytes of the package itself.
    let good = common::package(body, None, None, None);
    for k in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next() as u8;
        }
        if k % 3 == 0 {
            bytes.truncate(rng.below(bytes.len()));
        }
        let result = juesuan::reader::read(Path::new("m.docx"), &bytes, &ReadConfig::default());
        if let Err(e) = result {
            assert_ne!(e.kind(), "internal");
        }
    }
}
