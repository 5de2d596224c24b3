//! Word list numbering: the label Word shows in front of a numbered paragraph, rendered from
//! `numbering.xml` (`abstractNum` levels with `w:start`, `w:numFmt`, `w:lvlText`; `num`
//! instances with `w:lvlOverride`/`w:startOverride`), including the Chinese formats reports
//! use, so that `%1、` with `chineseCounting` renders `一、` and `（%1）` renders `（一）`.
//! Without this a Word report's outline is lost: its headings carry no number in the text.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{val, Guard, Limits, PartError};

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// `w:isLgl`: show every level's number as decimal.
    legal: bool,
}

#[derive(Debug, Clone, Default)]
struct Instance {
    abstract_id: String,
    /// ilvl → start override.
    starts: HashMap<u8, u32>,
    /// ilvl → a whole level redefined.
    levels: HashMap<u8, Level>,
}

/// Numbering definitions and the running counters of a document.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    instances: HashMap<String, Instance>,
    /// Counters per abstract list, as Word keeps them: lists sharing an abstractNum continue
    /// each other.
    counters: HashMap<String, [Option<u32>; 9]>,
    /// Instances whose start overrides were applied already.
    started: std::collections::HashSet<String>,
}

impl Numbering {
    pub fn parse(xml: &str, limits: Limits) -> Result<Numbering, PartError> {
        let mut n = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut guard = Guard::new(limits, "numbering.xml");
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut override_lvl: Option<u8> = None;
        let mut level: Option<(u8, Level)> = None;
        loop {
            guard.event()?;
            let event = reader.read_event().map_err(|e| {
                PartError::Corrupt(format!("numbering.xml is not well-formed XML: {e}"))
            })?;
            // A level's paragraph and run formatting says nothing about its label, and is
            // most of a large numbering.xml (Word keeps every list ever pasted in): skipped
            // to its end tag rather than read element by element.
            if let Event::Start(e) = &event {
                if matches!(e.local_name().as_ref(), b"pPr" | b"rPr") {
                    reader.read_to_end(e.name()).map_err(|e| {
                        PartError::Corrupt(format!("numbering.xml is not well-formed XML: {e}"))
                    })?;
                    continue;
                }
            }
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |name: &[u8]| super::attr(&e, name);
                    match e.local_name().as_ref() {
                        b"abstractNum" => abstract_id = attr(b"abstractNumId"),
                        b"num" => {
                            num_id = attr(b"numId");
                            if let Some(id) = &num_id {
                                n.instances.insert(id.clone(), Instance::default());
                            }
                        }
                        b"abstractNumId" => {
                            if let (Some(id), Some(v)) = (&num_id, val(&e)) {
                                n.instances.get_mut(id).unwrap().abstract_id = v;
                            }
                        }
                        b"lvlOverride" => {
                            override_lvl = super::attr_parsed(&e, b"ilvl")
                        }
                        b"startOverride" => {
                            if let (Some(id), Some(l), Some(v)) =
                                (&num_id, override_lvl, super::val_parsed(&e))
                            {
                                n.instances.get_mut(id).unwrap().starts.insert(l, v);
                            }
                        }
                        b"lvl" => {
                            let ilvl = super::attr_parsed(&e, b"ilvl").unwrap_or(0);
                            level = Some((
                                ilvl,
                                Level {
                                    start: 1,
                                    format: "decimal".into(),
                                    ..Level::default()
                                },
                            ));
                        }
                        b"start" => {
                            if let (Some((_, l)), Some(v)) =
                                (level.as_mut(), super::val_parsed(&e))
                            {
                                l.start = v;
                            }
                        }
                        b"numFmt" => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val(&e)) {
                                l.format = v;
                            }
                        }
                        b"lvlText" => {
                            if let Some((_, l)) = level.as_mut() {
                                l.text = val(&e).unwrap_or_default();
                            }
                        }
                        b"isLgl" => {
                            if let Some((_, l)) = level.as_mut() {
                                l.legal = super::attr_with(&e, b"val", |v| v != "0" && v != "false")
                                    .unwrap_or(true);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"lvl" => {
                        if let Some((ilvl, l)) = level.take() {
                            if let (Some(id), Some(o)) = (&num_id, override_lvl) {
                                n.instances.get_mut(id).unwrap().levels.insert(o, l);
                            } else if let Some(a) = &abstract_id {
                                n.abstracts.entry(a.clone()).or_default().insert(ilvl, l);
                            }
                        }
                    }
                    b"abstractNum" => abstract_id = None,
                    b"num" => num_id = None,
                    b"lvlOverride" => override_lvl = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }

    /// Advances the list of `num` at level `ilvl` and returns the label Word shows
    /// (`None` for numId 0, an unknown list, or an empty label). Asked of every numbered
    /// paragraph: the definitions are borrowed, not cloned, and the running state allocates
    /// only the first time a list is met (1.8% of a .docx batch's `perf` samples before).
    pub fn next_label(&mut self, num: &str, ilvl: u8) -> Option<String> {
        /// The placeholders of the nine levels in a level text.
        const PLACEHOLDERS: [&str; 9] = ["%1", "%2", "%3", "%4", "%5", "%6", "%7", "%8", "%9"];
        if num == "0" || ilvl > 8 {
            return None;
        }
        let Numbering {
            abstracts,
            instances,
            counters,
            started,
        } = self;
        let inst = instances.get(num)?;
        let level = |l: u8| level_of(abstracts, inst, l);
        let this = level(ilvl)?;
        let counters = counters_of(counters, &inst.abstract_id);
        // A bullet is no number: a list item's symbol (often a private-use glyph). It is
        // counted, so that deeper levels restart after it as Word does.
        if this.format == "bullet" {
            advance(counters, ilvl, this.start);
            return None;
        }
        // A start override restarts the list the first time this instance is used.
        if !started.contains(num) {
            started.insert(num.to_string());
            for (l, s) in &inst.starts {
                if let Some(c) = counters.get_mut(*l as usize) {
                    *c = Some(s.saturating_sub(1));
                }
            }
        }
        advance(counters, ilvl, this.start);
        let counters = *counters;
        // Word keeps a level's text short; a hostile one (`%1` a hundred thousand times) is
        // cut, so that a label stays small whatever its numbers.
        let mut label = truncate(&this.text, MAX_LEVEL_TEXT).to_string();
        for l in 0..=ilvl {
            let placeholder = PLACEHOLDERS[l as usize];
            if !label.contains(placeholder) {
                continue;
            }
            let (start, format) = level(l).map_or((0, ""), |v| (v.start, v.format.as_str()));
            let n = counters[l as usize].unwrap_or(start);
            let format = if this.legal { "decimal" } else { format };
            label = label.replace(placeholder, &format_number(n, format));
        }
        (!label.trim().is_empty()).then_some(label)
    }
}

/// Level `ilvl` of instance `inst`: its own redefinition, else its abstract list's.
fn level_of<'n>(
    abstracts: &'n HashMap<String, HashMap<u8, Level>>,
    inst: &'n Instance,
    ilvl: u8,
) -> Option<&'n Level> {
    inst.levels
        .get(&ilvl)
        .or_else(|| abstracts.get(&inst.abstract_id)?.get(&ilvl))
}

/// The running counters of abstract list `key`, made the first time it is met.
fn counters_of<'c>(
    counters: &'c mut HashMap<String, [Option<u32>; 9]>,
    key: &str,
) -> &'c mut [Option<u32>; 9] {
    if !counters.contains_key(key) {
        counters.insert(key.to_string(), [None; 9]);
    }
    counters.get_mut(key).expect("inserted above")
}

/// Counts an item at level `ilvl`; the levels below it restart.
fn advance(counters: &mut [Option<u32>; 9], ilvl: u8, start: u32) {
    let i = usize::from(ilvl);
    counters[i] = Some(counters[i].map_or(start, |c| c.saturating_add(1)));
    for c in counters.iter_mut().skip(i + 1) {
        *c = None;
    }
}

/// The longest level text (`w:lvlText`) rendered, in bytes.
const MAX_LEVEL_TEXT: usize = 256;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A counter in a Word number format.
pub(crate) fn format_number(n: u32, format: &str) -> String {
    match format {
        "decimal" | "ordinal" | "cardinalText" | "ordinalText" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerLetter" => letters(n).to_lowercase(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting"
        | "ideographDigital" => chinese(n),
        "chineseLegalSimplified" => chinese_legal(n),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, '①', 20),
        "decimalEnclosedParen" => enclosed(n, '⑴', 20),
        "decimalEnclosedFullstop" => enclosed(n, '⒈', 20),
        "none" | "bullet" => String::new(),
        _ => n.to_string(),
    }
}

/// Roman numerals up to 3999, as Word writes them; beyond, the decimal number (a hostile start
/// near u32::MAX would otherwise write millions of `M`).
fn roman(mut n: u32) -> String {
    if n > 3999 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letters(n: u32) -> String {
    // Word repeats the letter: A…Z, AA…ZZ, up to 780 (30 Z); beyond, the decimal number (a
    // hostile start near u32::MAX would otherwise write a label of 165 million letters).
    if n == 0 {
        return String::new();
    }
    if n > 780 {
        return n.to_string();
    }
    let letter = char::from(b'A' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一.
fn chinese(n: u32) -> String {
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        return format!(
            "十{}",
            if n.is_multiple_of(10) {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            }
        );
    }
    if n < 100 {
        let tens = DIGITS[(n / 10) as usize];
        return format!(
            "{tens}十{}",
            if n.is_multiple_of(10) {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            }
        );
    }
    if n < 1000 {
        let rest = n % 100;
        let head = format!("{}百", DIGITS[(n / 100) as usize]);
        return match rest {
            0 => head,
            1..=9 => format!("{head}零{}", DIGITS[rest as usize]),
            10..=19 => format!("{head}一{}", chinese(rest)),
            _ => format!("{head}{}", chinese(rest)),
        };
    }
    n.to_string()
}

fn chinese_legal(n: u32) -> String {
    chinese(n)
        .chars()
        .map(|c| match c {
            '一' => '壹',
            '二' => '贰',
            '三' => '叁',
            '四' => '肆',
            '五' => '伍',
            '六' => '陆',
            '七' => '柒',
            '八' => '捌',
            '九' => '玖',
            '十' => '拾',
            '百' => '佰',
            '〇' => '零',
            c => c,
        })
        .collect()
}

fn cycle(n: u32, chars: &str) -> String {
    let chars: Vec<char> = chars.chars().collect();
    chars[((n.max(1) - 1) as usize) % chars.len()].to_string()
}

fn enclosed(n: u32, first: char, max: u32) -> String {
    if (1..=max).contains(&n) {
        char::from_u32(first as u32 + n - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string())
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        for (n, f, s) in [
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (11, "chineseCountingThousand", "十一"),
            (23, "chineseCounting", "二十三"),
            (101, "chineseCountingThousand", "一百零一"),
            (
                3,
                "ideographTraditional",
                "甲乙丙".chars().nth(2).unwrap().to_string().as_str(),
            ),
            (2, "decimalFullWidth", "２"),
            (3, "decimalEnclosedCircle", "③"),
            (2, "decimalEnclosedParen", "⑵"),
            (4, "upperRoman", "IV"),
            (28, "upperLetter", "BB"),
            (5, "decimalZero", "05"),
            (2, "chineseLegalSimplified", "贰"),
        ] {
            assert_eq!(format_number(n, f), s, "{n} {f}");
        }
    }

    #[test]
    fn labels_with_restarts_and_overrides() {
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:pPr><w:ind w:left="420"/><w:start w:val="5"/></w:pPr><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:lvl>
            <w:lvl w:ilvl="1"><w:rPr><w:numFmt w:val="decimal"/></w:rPr><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/><w:isLgl/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
        </w:numbering>"#;
        let mut n = Numbering::parse(xml, Limits::for_tests()).unwrap();
        let labels: Vec<Option<String>> = [
            ("1", 0),
            ("1", 1),
            ("1", 1),
            ("1", 0),
            ("1", 1),
            ("1", 2),
            ("2", 0),
            ("2", 0),
            ("0", 0),
            ("9", 0),
        ]
        .iter()
        .map(|(num, l)| n.next_label(num, *l))
        .collect();
        let want = [
            "一、",
            "（一）",
            "（二）",
            "二、",
            "（一）",
            "2.1",
            "九、",
            "十、",
        ];
        assert_eq!(
            labels[..8]
                .iter()
                .map(|l| l.as_deref().unwrap())
                .collect::<Vec<_>>(),
            want
        );
        assert_eq!((labels[8].clone(), labels[9].clone()), (None, None));
    }

    /// A bullet shows no label but counts: the numbered level under it restarts after it.
    #[test]
    fn a_bullet_restarts_the_levels_under_it() {
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="1">
            <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
        </w:numbering>"#;
        let mut n = Numbering::parse(xml, Limits::for_tests()).unwrap();
        let labels: Vec<Option<String>> = [1, 1, 0, 1]
            .iter()
            .map(|&l| n.next_label("3", l))
            .collect();
        assert_eq!(
            labels,
            [Some("1.".to_string()), Some("2.".into()), None, Some("1.".into())]
        );
    }
}
