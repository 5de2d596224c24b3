//! The binary as a user runs it: exit codes, ordering, output files, errors, broken pipes.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{sample_text, scratch, SAMPLE};
use serde_json::Value;

fn juesuan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .unwrap()
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A directory with good files, bad files and files to ignore.
fn mixed_batch(name: &str) -> PathBuf {
    let dir = scratch(name);
    let text = sample_text();
    std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    std::fs::write(dir.join("a.txt"), &text).unwrap();
    std::fs::write(
        dir.join("sub/B.TXT"),
        text.replace("2021年度部门决算", "2022年度部门决算"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/deeper/c.txt"),
        encoding_rs::GB18030.encode(&text).0,
    )
    .unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(dir.join("garbage.txt"), garbage).unwrap();
    std::fs::write(dir.join("notes.md"), "not a report").unwrap();
    std::fs::write(dir.join("image.png"), [0x89, b'P', b'N', b'G']).unwrap();
    dir
}

#[test]
fn extract_samples_directory() {
    let out = juesuan(&["extract", "samples/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = lines(&out.stdout);
    let docs: Vec<(&str, &str, &str)> = r
        .iter()
        .filter(|x| x["type"] == "document")
        .map(|x| {
            (
                x["path"].as_str().unwrap(),
                x["format"].as_str().unwrap(),
                x["unit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            ("samples/qinghe-2027-budget.docx", "docx", "青禾区档案馆"),
            ("samples/qinghe-2027-budget.txt", "text", "青禾区档案馆"),
            (
                "samples/yuquan-2021.docx",
                "docx",
                "攀枝花市西区玉泉街道办事处"
            ),
            (
                "samples/yuquan-2021.txt",
                "text",
                "攀枝花市西区玉泉街道办事处"
            )
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4 files: 4 documents, 0 errors"),
        "{stderr}"
    );
    assert!(stderr.contains("section 154"), "{stderr}");
}

#[test]
fn jobs_do_not_change_the_bytes() {
    let dir = mixed_batch("jobs_order");
    for i in 0..12 {
        std::fs::write(
            dir.join(format!("copy{i:02}.txt")),
            sample_text().replace("玉泉", &format!("玉泉{i}")),
        )
        .unwrap();
    }
    let d = dir.to_str().unwrap();
    let one = juesuan(&["extract", "-j", "1", d]);
    let four = juesuan(&["extract", "--jobs", "4", d]);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(one.stdout, four.stdout);
    // Files come out in sorted path order, each file's records contiguous, document or error first.
    let r = lines(&one.stdout);
    let heads: Vec<(String, String)> = r
        .iter()
        .filter(|x| x["type"] == "document" || x["type"] == "error")
        .map(|x| {
            (
                x["path"].as_str().unwrap().to_string(),
                x["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = heads.clone();
    sorted.sort();
    assert_eq!(heads, sorted);
    assert_eq!(heads.len(), 5 + 12, "every input file appears exactly once");
    let mut seen_doc = std::collections::HashSet::new();
    let mut current = None;
    for x in &r {
        if x["type"] == "document" || x["type"] == "error" {
            current = x["doc"].as_str().map(str::to_string);
            assert!(seen_doc.insert((x["path"].clone(), current.clone())));
        } else {
            assert_eq!(
                x["doc"].as_str().map(str::to_string),
                current,
                "records of one file are contiguous"
            );
        }
    }
}

#[test]
fn bad_files_become_error_records_and_exit_1() {
    let dir = mixed_batch("errors");
    let d = dir.to_str().unwrap();
    let missing = dir.join("missing.txt");
    let out = juesuan(&["extract", d, missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    let errors: Vec<(&str, &str)> = r
        .iter()
        .filter(|x| x["type"] == "error")
        .map(|x| {
            let p = x["path"].as_str().unwrap();
            (
                &p[p.rfind('/').unwrap() + 1..],
                x["error"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("empty.txt", "empty"),
            ("garbage.txt", "encoding"),
            ("missing.txt", "io")
        ]
    );
    let garbage = r.iter().find(|x| x["error"] == "encoding").unwrap();
    assert!(
        garbage["message"].as_str().unwrap().contains("not text"),
        "{garbage}"
    );
    assert_eq!(garbage["doc"].as_str().unwrap().len(), 16);
    let missing = r.iter().find(|x| x["error"] == "io").unwrap();
    assert_eq!(missing["doc"], Value::Null);
    assert_eq!(r.iter().filter(|x| x["type"] == "document").count(), 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("6 files: 3 documents, 3 errors"),
        "{stderr}"
    );
    assert!(stderr.contains("2 ignored"), "{stderr}");
}

#[test]
fn size_limit() {
    let out = juesuan(&["extract", "--max-bytes", "1000", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["error"], "too_large");
    assert!(r[0]["message"].as_str().unwrap().contains("54727 bytes"));
}

#[test]
fn output_file() {
    let dir = scratch("output_file");
    let target = dir.join("out.jsonl");
    let out = juesuan(&["extract", SAMPLE, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&target).unwrap();
    assert_eq!(written, juesuan(&["extract", SAMPLE]).stdout);
    assert!(!written.starts_with(&[0xef, 0xbb, 0xbf]), "no BOM");
    // `-o -` writes to standard output, not to a file named `-`.
    let dash = juesuan(&["extract", SAMPLE, "-o", "-"]);
    assert_eq!(dash.stdout, written);
    assert!(!Path::new("-").exists());
}

/// A named pipe (or /dev/null, or a shell's `>(gzip > out.gz)`) given as `-o` is written
/// through, never renamed over: the pipe is still a pipe afterwards and its reader got the
/// records.
#[cfg(unix)]
#[test]
fn output_to_a_pipe_stays_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("output_pipe");
    let fifo = dir.join("out.pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo {}", fifo.display());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = juesuan(&["extract", SAMPLE, "-o", fifo.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Asked before joining: had the pipe been renamed over, its reader would wait forever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let read = reader.join().unwrap();
    assert_eq!(read, juesuan(&["extract", SAMPLE]).stdout);
    let first: Value = serde_json::from_slice(read.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["unit"], "攀枝花市西区玉泉街道办事处");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(juesuan(&["extract"]).status.code(), Some(2));
    assert_eq!(
        juesuan(&["extract", "--jobs", "many", SAMPLE])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(juesuan(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = scratch("broken_pipe");
    for i in 0..40 {
        std::fs::write(dir.join(format!("r{i:02}.txt")), sample_text()).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "-j", "2", dir.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn dump_shows_the_document_model() {
    let out = juesuan(&["dump", SAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    let blocks = lines(&out.stdout);
    let heading = blocks.iter().find(|b| b["loc"]["line"] == 41).unwrap();
    assert_eq!(heading["kind"], "heading");
    assert_eq!(heading["label"], "四、");
    assert_eq!(heading["text"], "四、财政拨款收入支出决算总体情况说明");
    let item = blocks.iter().find(|b| b["loc"]["line"] == 67).unwrap();
    assert_eq!(item["kind"], "paragraph");
    assert!(item["text"]
        .as_str()
        .unwrap()
        .starts_with("1.一般公共服务（201）"));
    let table = blocks.iter().find(|b| b["kind"] == "table").unwrap();
    assert_eq!(table["loc"]["line"], 229);
    assert_eq!(table["rows"][1][3], "攀枝花市西区玉泉街办");
    assert_eq!(
        blocks
            .iter()
            .enumerate()
            .filter(|(i, b)| b["loc"]["block"] != *i)
            .count(),
        0
    );
}

#[test]
fn dump_of_a_bad_file_says_why() {
    let dir = scratch("dump_bad");
    let path = dir.join("empty.txt");
    std::fs::write(&path, "   \n").unwrap();
    let out = juesuan(&["dump", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty"));
    assert!(Path::new(SAMPLE).exists());
}

#[test]
fn bad_pdfs_get_clear_errors() {
    if !common::pdftotext_available() {
        return;
    }
    let dir = scratch("bad_pdfs");
    std::fs::write(
        dir.join("corrupt.pdf"),
        b"%PDF-1.4\n this is not a PDF body at all \x00\x01\x02",
    )
    .unwrap();
    // A valid PDF with one empty page: no text layer, as a scanned report would have.
    std::fs::write(
        dir.join("image-only.pdf"),
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .unwrap();
    let out = juesuan(&["extract", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    let kinds: Vec<(&str, &str)> = r
        .iter()
        .map(|x| {
            let p = x["path"].as_str().unwrap();
            (
                &p[p.rfind('/').unwrap() + 1..],
                x["error"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("corrupt.pdf", "corrupt"),
            ("image-only.pdf", "unsupported")
        ]
    );
    assert!(
        r[1]["message"].as_str().unwrap().contains("no text layer"),
        "{}",
        r[1]
    );
}

#[test]
fn pdf_timeout() {
    let Some(pdf) = common::corpus("gh_shpt_czj_2024_final_dept.pdf") else {
        return;
    };
    if !common::pdftotext_available() {
        return;
    }
    let out = juesuan(&["extract", "--pdf-timeout", "0", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    assert_eq!(r[0]["error"], "timeout");
    assert!(r[0]["message"].as_str().unwrap().contains("--pdf-timeout"));
}

#[test]
fn missing_pdftotext_is_unsupported_with_a_hint() {
    let dir = scratch("no_pdftotext");
    let pdf = dir.join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", pdf.to_str().unwrap(), SAMPLE])
        .env("PATH", dir.to_str().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    let err = r.iter().find(|x| x["type"] == "error").unwrap();
    assert_eq!(err["error"], "unsupported");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("apt-get install poppler-utils"));
    // The rest of the batch is read.
    assert_eq!(r.iter().filter(|x| x["type"] == "document").count(), 1);
}

/// The README's excerpt is real output: every unabridged record line in it is produced.
#[test]
fn readme_excerpt_is_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let out = String::from_utf8(juesuan(&["extract", "samples/"]).stdout).unwrap();
    let excerpt: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("{\"type\"") && !l.contains('…'))
        .collect();
    assert!(excerpt.len() >= 6);
    for line in excerpt {
        assert!(
            out.lines().any(|l| l == line),
            "README line not in the output: {line}"
        );
    }
}

/// `juesuan rules` lists every rule, and docs/checks.md holds exactly that list.
#[test]
fn rules_are_listed_and_documented() {
    let out = juesuan(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let listed = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = listed
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids.len(), juesuan::check::RULES.len());
    for id in [
        "line_items_sum",
        "final_vs_budget_wording",
        "standard_tables",
        "repeated_punctuation",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let doc = std::fs::read_to_string("docs/checks.md").unwrap();
    assert!(
        doc.contains(&listed),
        "docs/checks.md is out of date: paste the output of `juesuan rules`"
    );
}

/// `juesuan dump --unread` lists the sample's amounts that no figure or line item took, each
/// with its clause and place; the document record counts them.
#[test]
fn dump_unread_lists_what_nothing_read() {
    let out = juesuan(&["dump", "--unread", SAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    let r = lines(&out.stdout);
    assert_eq!(r.len(), 10);
    assert_eq!(
        (&r[0]["raw"], &r[0]["context"], &r[0]["loc"]["line"]),
        (&"10余万元".into(), &"投入资金10余万元".into(), &14.into())
    );
    let doc = &lines(&juesuan(&["extract", SAMPLE]).stdout)[0];
    assert_eq!(doc["unread_amounts"], 10);
}

/// A FIFO named like a report in an input folder is an `io` error record at once, never a
/// hang, and the rest of the batch is read.
#[test]
fn a_fifo_in_an_input_folder_is_an_error_at_once() {
    let dir = scratch("fifo");
    std::fs::copy(SAMPLE, dir.join("a.txt")).unwrap();
    let fifo = dir.join("x.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let started = std::time::Instant::now();
    let out = juesuan(&["extract", dir.to_str().unwrap()]);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    let err = r.iter().find(|x| x["type"] == "error").unwrap();
    assert_eq!(err["error"], "io");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("not a regular file"));
    assert_eq!(r.iter().filter(|x| x["type"] == "document").count(), 1);
}

/// An output that is one of the inputs, or a report-like file inside an input folder, is
/// refused (exit 2) before anything is read or written; a huge `-j` is clamped.
#[test]
fn output_that_is_an_input_is_refused() {
    let dir = scratch("output_is_input");
    let input = dir.join("a.txt");
    std::fs::copy(SAMPLE, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = juesuan(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    let inside = dir.join("records.txt");
    let out = juesuan(&[
        "extract",
        dir.to_str().unwrap(),
        "-o",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
    // A JSONL output in the folder is fine, written whole; -j 100000 is clamped.
    let jsonl = dir.join("out.jsonl");
    let out = juesuan(&[
        "extract",
        "-j",
        "100000",
        dir.to_str().unwrap(),
        "-o",
        jsonl.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r = lines(&std::fs::read(&jsonl).unwrap());
    assert_eq!(r[0]["type"], "document");
    assert_eq!(r[0]["unit"], "攀枝花市西区玉泉街道办事处");
}

/// A stand-in `pdftotext` in `dir` that runs a shell command, and the `PATH` that finds it
/// first.
fn fake_pdftotext(dir: &Path, command: &str) -> String {
    let fake = dir.join("pdftotext");
    std::fs::write(&fake, format!("#!/bin/sh\n{command}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// In a batch, the next PDF's pdftotext starts before this one's ends (here with one job):
/// conversion runs beside extraction. A stand-in pdftotext logs its start and end and prints
/// the sample as a PDF's text; each PDF still gives its own records, in input order.
#[test]
fn the_next_pdf_converts_while_this_one_is_read() {
    let dir = scratch("pdf_ahead");
    let log = dir.join("log");
    let sample = std::fs::canonicalize(SAMPLE).unwrap();
    let path = fake_pdftotext(
        &dir,
        &format!(
            "echo \"start $3\" >> {log}; sleep 0.3; echo \"end $3\" >> {log}; cat {sample}",
            log = log.display(),
            sample = sample.display()
        ),
    );
    let names = ["a.pdf", "b.pdf", "c.pdf"];
    for name in names {
        std::fs::write(dir.join(name), format!("%PDF-1.4 {name}\n%%EOF\n")).unwrap();
    }
    // An empty PDF after them is `empty`, as read alone, not pdftotext's failure.
    std::fs::write(dir.join("empty.pdf"), b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "-q", "-j", "1"])
        .args(names.map(|n| dir.join(n)))
        .arg(dir.join("empty.pdf"))
        .env("PATH", path)
        .output()
        .unwrap();
    let records = lines(&out.stdout);
    let errors: Vec<&Value> = records.iter().filter(|r| r["type"] == "error").collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["error"], "empty");
    let docs: Vec<(String, String)> = records
        .iter()
        .filter(|r| r["type"] == "document")
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            (path[path.len() - 5..].to_string(), r["unit"].to_string())
        })
        .collect();
    let unit = "\"攀枝花市西区玉泉街道办事处\"".to_string();
    assert_eq!(
        docs,
        names.map(|n| (n.to_string(), unit.clone())),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&log).unwrap();
    let events: Vec<&str> = log.lines().map(|l| l.split(' ').next().unwrap()).collect();
    // Two conversions were under way at once: a second start came before the first end.
    assert_eq!(events.len(), 6, "{log}");
    assert_eq!(events[..2], ["start", "start"], "{log}");
}

/// pdftotext's text is read up to four times `--max-bytes`: a PDF whose text would be larger
/// is `too_large`, and the child ends with its pipe (here a stand-in that writes text forever).
#[test]
fn pdftotext_output_is_capped() {
    let dir = scratch("pdftotext_cap");
    let path = fake_pdftotext(&dir, "yes 一般公共预算财政拨款支出");
    let pdf = dir.join("bomb.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "--max-bytes", "1000", pdf.to_str().unwrap()])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let r = lines(&out.stdout);
    assert_eq!(r[0]["error"], "too_large", "{r:?}");
    assert!(r[0]["message"].as_str().unwrap().contains("4000 bytes"));
}

/// A text with no sign of a 决算/预算 report (a readme) is a `not_a_report` error, and the
/// rest of the batch is read.
#[test]
fn a_readme_is_not_a_report() {
    let dir = scratch("not_a_report");
    let readme = dir.join("readme.txt");
    std::fs::write(
        &readme,
        "How to use this folder\n\nPut the downloaded files here.\n",
    )
    .unwrap();
    let out = juesuan(&["extract", readme.to_str().unwrap(), SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out.stdout);
    assert_eq!(r[0]["error"], "not_a_report");
    assert!(r.iter().any(|x| x["type"] == "document"));
}

/// `juesuan dump` reads under the same size limit as `extract`.
#[test]
fn dump_has_a_size_limit() {
    let out = juesuan(&["dump", "--max-bytes", "100", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too large"));
}

/// A run killed with SIGKILL mid-batch leaves no file at the output path: records go to a
/// temporary file renamed only when the batch is complete. Nor does it leave the copy of the
/// PDF that pdftotext was reading in the temporary directory.
#[test]
fn a_killed_run_leaves_no_partial_output() {
    let dir = scratch("killed_run");
    let path = fake_pdftotext(&dir, "sleep 5");
    let pdf = dir.join("slow.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let output = dir.join("out.jsonl");
    let tmp = dir.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([
            "extract",
            SAMPLE,
            pdf.to_str().unwrap(),
            "-j",
            "1",
            "-o",
            output.to_str().unwrap(),
        ])
        .env("PATH", path)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !output.exists(),
        "a partial output was left at the output path"
    );
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}

/// A PDF past `--timeout` whose pdftotext hangs: the batch gives up on it, kills that
/// pdftotext, and exits without leaving it running or a copy of the PDF behind. Both ways a
/// PDF is converted are covered: the first file (converted by its own worker) and one whose
/// conversion was started ahead, while an earlier file was read.
#[test]
fn a_pdf_given_up_on_leaves_no_process_and_no_file() {
    let dir = scratch("given_up");
    let pids = dir.join("pids");
    let path = fake_pdftotext(
        &dir,
        &format!("echo $$ >> '{}'\nexec sleep 60", pids.display()),
    );
    std::fs::write(dir.join("a.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    std::fs::copy(SAMPLE, dir.join("b.txt")).unwrap();
    std::fs::write(dir.join("c.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let tmp = dir.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args("extract -q -j 1 --timeout 1 --pdf-timeout 60".split(' '))
        .args(["a.pdf", "b.txt", "c.pdf"].map(|n| dir.join(n)))
        .env("PATH", path)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let errors: Vec<String> = lines(&out.stdout)
        .iter()
        .filter(|r| r["type"] == "error")
        .map(|r| format!("{} {}", r["path"], r["error"]))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.ends_with("\"timeout\"")),
        "{errors:?}"
    );
    let pids = std::fs::read_to_string(&pids).unwrap();
    let running: Vec<&str> = pids
        .lines()
        .filter(|pid| {
            let alive = Command::new("kill")
                .args(["-0", pid])
                .stderr(Stdio::null())
                .status()
                .unwrap()
                .success();
            if alive {
                let _ = Command::new("kill").args(["-9", pid]).status();
            }
            alive
        })
        .collect();
    assert_eq!(pids.lines().count(), 2, "{pids}");
    assert!(running.is_empty(), "pdftotext left running: {running:?}");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}

/// A SQLite load waiting for a slow file has committed the files before it: a reader sees
/// them while the slow one is read, and another load can write meanwhile.
#[test]
fn a_sqlite_load_commits_before_it_waits_for_a_slow_file() {
    let dir = scratch("sqlite_waits");
    let path = fake_pdftotext(&dir, "sleep 3\nexit 1");
    std::fs::copy(SAMPLE, dir.join("a.txt")).unwrap();
    std::fs::write(dir.join("b.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let db = dir.join("r.db");
    let count = |table: &str| -> i64 {
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)))
            .unwrap_or(0)
    };
    let mut load = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "-q", "-j", "1", "-o"])
        .arg(&db)
        .args(["a.txt", "b.pdf"].map(|n| dir.join(n)))
        .env("PATH", path)
        .spawn()
        .unwrap();
    let waited = std::time::Instant::now();
    while count("documents") == 0 && waited.elapsed() < std::time::Duration::from_secs(2) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(count("documents"), 1, "the sample, committed");
    assert!(load.try_wait().unwrap().is_none(), "still reading b.pdf");
    let other = juesuan(&[
        "extract",
        "-q",
        "-o",
        db.to_str().unwrap(),
        "samples/qinghe-2027-budget.txt",
    ]);
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    assert_eq!(load.wait().unwrap().code(), Some(1), "a file failed: b.pdf");
    assert_eq!(count("documents"), 2);
    assert_eq!(count("errors"), 1, "b.pdf");
    let units: Vec<String> = rusqlite::Connection::open(&db)
        .unwrap()
        .prepare("SELECT unit FROM documents ORDER BY unit")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(units, ["攀枝花市西区玉泉街道办事处", "青禾区档案馆"]);
}

/// The records of a batch as JSONL, for comparing with the tabular outputs.
fn jsonl_of(inputs: &[&str]) -> Vec<Value> {
    let mut args = vec!["extract"];
    args.extend(inputs);
    lines(&juesuan(&args).stdout)
}

/// The batch every tabular test loads: the sample, and the corpus reports where present.
fn tabular_inputs() -> Vec<String> {
    let mut inputs = vec![SAMPLE.to_string()];
    match common::corpus("") {
        Some(dir) => inputs.push(dir.display().to_string()),
        None => eprintln!("skipping the corpus in the tabular tests: ../shared is absent"),
    }
    inputs
}

/// SQLite: typed columns, one row per record, money in fen summing to the JSONL amounts, and a
/// second load of the same batch replacing rows instead of adding them.
#[test]
fn sqlite_output_matches_jsonl_and_reloads_in_place() {
    let dir = scratch("sqlite_out");
    let db = dir.join("r.db");
    let inputs = tabular_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    for _ in 0..2 {
        let mut args = vec!["extract", "-o", db.to_str().unwrap()];
        args.extend(&inputs);
        let out = juesuan(&args);
        assert!(
            out.status.code() == Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let records = jsonl_of(&inputs);
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (table, record) in [
        ("documents", "document"),
        ("line_items", "line_item"),
        ("figures", "figure"),
        ("checks", "check"),
        ("expenditure", "expenditure"),
        ("tables", "table"),
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        let want = records.iter().filter(|r| r["type"] == record).count() as i64;
        assert_eq!(n, want, "{table}: rows after two loads");
    }
    // Money: Σ amount_fen equals the JSONL amounts, exactly.
    let fen: i64 = conn
        .query_row("SELECT SUM(amount_fen) FROM line_items", [], |r| r.get(0))
        .unwrap();
    let want: rust_decimal::Decimal = records
        .iter()
        .filter(|r| r["type"] == "line_item")
        .filter_map(|r| r["amount"].as_str())
        .map(|a| a.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(
        rust_decimal::Decimal::from(fen),
        want * rust_decimal::Decimal::from(100)
    );
    // Types as stored: codes and money text, fen integer; the document's meta on every row.
    let (code, amount, amount_fen, unit, year): (String, String, i64, String, i64) = conn
        .query_row(
            "SELECT code, amount, amount_fen, doc_unit, doc_year FROM line_items \
             WHERE code = '2010301' AND \"table\" = 'narrative' AND doc_year = 2021",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (
            code.as_str(),
            amount.as_str(),
            amount_fen,
            unit.as_str(),
            year
        ),
        (
            "2010301",
            "1189700",
            118_970_000,
            "攀枝花市西区玉泉街道办事处",
            2021
        )
    );
    let types: (String, String) = conn
        .query_row(
            "SELECT typeof(code), typeof(amount_fen) FROM line_items LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(types, ("text".to_string(), "integer".to_string()));
}

/// CSV: one file per table with a header; codes and money stay text (`2010301`, `1189700`),
/// quotes and commas inside a field survive, and Python's csv module reads the same rows.
#[test]
fn csv_output_keeps_codes_and_money_as_text() {
    let dir = scratch("csv_out");
    let out_dir = dir.join("csv");
    let out = juesuan(&[
        "extract",
        "--format",
        "csv",
        "-o",
        out_dir.to_str().unwrap(),
        SAMPLE,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let mut rd = csv::Reader::from_path(out_dir.join("line_items.csv")).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 21);
    let first = &rows[0];
    assert_eq!(
        (
            &first[col("code")],
            &first[col("amount")],
            &first[col("amount_fen")],
            &first[col("class_code")],
            &first[col("doc_year")],
        ),
        ("2010301", "1189700", "118970000", "201", "2021")
    );
    // The `raw` field holds commas and colons; the 三公 figure texts hold quotes.
    assert!(first[col("raw")].starts_with("1.一般公共服务（201）"));
    // Every table has its file, even when empty.
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "checks.csv",
            "documents.csv",
            "errors.csv",
            "expenditure.csv",
            "figures.csv",
            "indicators.csv",
            "line_items.csv",
            "projects.csv",
            "sections.csv",
            "tables.csv"
        ]
    );
    // Python's csv module reads every file with the same number of rows and columns.
    let script = r#"
import csv, sys, os
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    with open(os.path.join(d, f), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert all(len(r) == len(rows[0]) for r in rows), f
    print(f, len(rows) - 1)
"#;
    if let Some(text) = python(script, &[out_dir.to_str().unwrap()]) {
        assert!(text.contains("line_items.csv 21"), "{text}");
        assert!(text.contains("documents.csv 1"), "{text}");
    }
    // pandas with every column as text keeps codes and money exact: no `205.0`.
    let script = r#"
import sys, os
import pandas as pd
t = pd.read_csv(os.path.join(sys.argv[1], "line_items.csv"), dtype=str, keep_default_na=False)
print(t["code"].iloc[0], t["amount"].iloc[0], t["class_code"].iloc[0], t["amount_fen"].astype("int64").sum())
"#;
    if let Some(text) = python(script, &[out_dir.to_str().unwrap()]) {
        assert!(text.starts_with("2010301 1189700 201 "), "{text}");
    }
}

/// The README's SQL queries, run on SQLite over the sample: the 类 totals of its narrative
/// (`一般公共服务（类）支出642.25万元`) and its 三公 figures.
#[test]
fn readme_queries_run_on_the_sample() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let queries: Vec<&str> = readme
        .split("```sql\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(queries.len(), 3, "the README shows three queries");
    let dir = scratch("readme_queries");
    let db = dir.join("r.db");
    let out = juesuan(&["extract", "-o", db.to_str().unwrap(), SAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let run = |q: &str| -> Vec<(String, i64, String, f64)> {
        let mut st = conn.prepare(q).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // The sample has no general-budget table: its narrative's 类 totals answer both.
    for q in &queries[..2] {
        let by_class = run(q);
        assert_eq!(by_class.len(), 7);
        assert_eq!(
            by_class[0],
            (
                "攀枝花市西区玉泉街道办事处".into(),
                2021,
                "201".into(),
                6_422_500.0
            )
        );
    }
    let three_public = run(queries[2]);
    let total = three_public
        .iter()
        .find(|r| r.2 == "three_public.total")
        .unwrap();
    assert_eq!(total.3, 50_000.0);
}

/// The PostgreSQL server the tests load into: `JUESUAN_TEST_POSTGRES`, else the local one
/// `.ci/run` starts. `None` (with the reason printed) where none is reachable outside CI; in CI
/// an unreachable server fails the test.
#[cfg(feature = "postgres")]
fn test_postgres() -> Option<(String, postgres::Client)> {
    let url = std::env::var("JUESUAN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://juesuan:juesuan@localhost/juesuan".to_string());
    match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(c) => Some((url, c)),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI: no PostgreSQL at {url}: {e}")
        }
        Err(e) => {
            println!("skipped: no PostgreSQL at {url} ({e}); .ci/run starts one");
            None
        }
    }
}

/// PostgreSQL: tables created in an empty schema, the sample and corpus loaded twice leave the
/// JSONL's row counts, and the README's queries give the sample's 类 totals and 三公 figures.
#[test]
#[cfg(feature = "postgres")]
fn postgres_output_reloads_in_place_and_answers_the_readme_queries() {
    let Some((url, mut client)) = test_postgres() else {
        return;
    };
    client
        .batch_execute("DROP SCHEMA IF EXISTS juesuan_test CASCADE; CREATE SCHEMA juesuan_test;")
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{sep}options=-csearch_path%3Djuesuan_test");
    let inputs = tabular_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    for _ in 0..2 {
        let mut args = vec!["extract", "--format", "postgres", "-o", &target];
        args.extend(&inputs);
        let out = juesuan(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    client
        .batch_execute("SET search_path = juesuan_test")
        .unwrap();
    let records = jsonl_of(&inputs);
    for (table, record) in [
        ("documents", "document"),
        ("line_items", "line_item"),
        ("figures", "figure"),
        ("expenditure", "expenditure"),
    ] {
        let n: i64 = client
            .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        let want = records.iter().filter(|r| r["type"] == record).count() as i64;
        assert_eq!(n, want, "{table}: rows after two loads");
    }
    let readme = std::fs::read_to_string("README.md").unwrap();
    let queries: Vec<&str> = readme
        .split("```sql\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    let mut sample_rows = |q: &str| -> Vec<(String, rust_decimal::Decimal)> {
        client
            .query(
                &format!(
                    "SELECT t.{k}::text, t.yuan::text FROM ({}) t \
                     WHERE t.doc_unit = '攀枝花市西区玉泉街道办事处' ORDER BY 1",
                    q.trim().trim_end_matches(';'),
                    k = if q.contains("class_code") {
                        "class_code"
                    } else {
                        "key"
                    }
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get::<_, String>(1).parse().unwrap()))
            .collect()
    };
    for q in &queries[..2] {
        let by_class = sample_rows(q);
        assert_eq!(by_class.len(), 7);
        assert_eq!(by_class[0], ("201".into(), 6_422_500.into()));
    }
    let three_public = sample_rows(queries[2]);
    assert!(
        three_public.contains(&("three_public.total".into(), 50_000.into())),
        "{three_public:?}"
    );
    client
        .batch_execute("DROP SCHEMA juesuan_test CASCADE")
        .unwrap();
}

/// Runs a Python script with the given arguments; `None` (with the reason printed) when
/// python3 or a module it imports is missing (`.ci/run` installs pyarrow and pandas).
fn python(script: &str, args: &[&str]) -> Option<String> {
    let out = match Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            println!("skipped the Python read: no python3 ({e})");
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("ModuleNotFoundError") {
        println!("skipped the Python read: {}", stderr.trim());
        return None;
    }
    assert!(out.status.success(), "python: {stderr}");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Parquet: one file per table; codes and money as UTF-8 strings, fen as INT64; pyarrow reads
/// every file, and the fen of the line items sum to the JSONL amounts.
#[test]
#[cfg(feature = "parquet")]
fn parquet_output_reads_back_with_its_types() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = scratch("parquet_out");
    let out_dir = dir.join("pq");
    let out = juesuan(&[
        "extract",
        "--format",
        "parquet",
        "-o",
        out_dir.to_str().unwrap(),
        SAMPLE,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let file = std::fs::File::open(out_dir.join("line_items.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), 21);
    let schema = meta.schema_descr();
    let col = |name: &str| {
        (0..schema.num_columns())
            .map(|i| schema.column(i))
            .find(|c| c.name() == name)
            .unwrap()
    };
    assert_eq!(
        col("code").physical_type(),
        parquet::basic::Type::BYTE_ARRAY
    );
    assert_eq!(
        col("amount_fen").physical_type(),
        parquet::basic::Type::INT64
    );
    let first = reader.get_row_iter(None).unwrap().next().unwrap().unwrap();
    let text = first.to_string();
    assert!(
        text.contains("code: \"2010301\"") && text.contains("amount_fen: 118970000"),
        "{text}"
    );
    let script = r#"
import sys, os
import pyarrow.parquet as pq
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    t = pq.read_table(os.path.join(d, f))
    print(f, t.num_rows)
t = pq.read_table(os.path.join(d, "line_items.parquet")).to_pandas()
print("code", t["code"].iloc[0], "fen", int(t["amount_fen"].sum()), "dtype", t["amount_fen"].dtype)
"#;
    if let Some(text) = python(script, &[out_dir.to_str().unwrap()]) {
        assert!(text.contains("line_items.parquet 21"), "{text}");
        assert!(text.contains("expenditure.parquet 28"), "{text}");
        let want: i64 = lines(&juesuan(&["extract", SAMPLE]).stdout)
            .iter()
            .filter(|r| r["type"] == "line_item")
            .map(|r| common_fen(r["amount"].as_str().unwrap()))
            .sum();
        assert!(
            text.contains(&format!("code 2010301 fen {want} dtype int64")),
            "{text}"
        );
    }
}

/// Yuan as a decimal string → fen.
#[cfg(feature = "parquet")]
fn common_fen(yuan: &str) -> i64 {
    let d: rust_decimal::Decimal = yuan.parse().unwrap();
    i64::try_from(d * rust_decimal::Decimal::from(100)).unwrap()
}

/// `--timeout`: a file past the deadline (here a PDF whose pdftotext takes 3 s, under a
/// `--pdf-timeout` of 30 s) is a `timeout` error at 1 s that names the option, and the files
/// after it, on the same batch thread, are read as usual by a fresh helper.
#[test]
fn a_file_past_the_deadline_is_a_timeout_and_the_batch_goes_on() {
    let dir = scratch("file_timeout");
    let path = fake_pdftotext(&dir, "sleep 3");
    std::fs::copy(SAMPLE, dir.join("a.txt")).unwrap();
    std::fs::write(dir.join("b.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    std::fs::copy(SAMPLE, dir.join("c.txt")).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([
            "extract",
            "-q",
            "-j",
            "1",
            "--timeout",
            "1",
            "--pdf-timeout",
            "30",
        ])
        .args(["a.txt", "b.pdf", "c.txt"].map(|n| dir.join(n)))
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        started.elapsed().as_secs_f64() < 2.9,
        "the batch waited for pdftotext"
    );
    let records = lines(&out.stdout);
    let heads: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["type"] == "document" || r["type"] == "error")
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            (&path[path.len() - 5..], r["type"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        heads,
        [
            ("a.txt", "document"),
            ("b.pdf", "error"),
            ("c.txt", "document")
        ]
    );
    let error = records.iter().find(|r| r["type"] == "error").unwrap();
    assert_eq!(error["error"], "timeout");
    assert!(error["message"].as_str().unwrap().contains("--timeout"));
    // The file after the late one is whole: the sample's 21 line items.
    let c = records
        .iter()
        .rposition(|r| r["type"] == "document")
        .unwrap();
    let c_items = records[c..]
        .iter()
        .filter(|r| r["type"] == "line_item")
        .count();
    assert_eq!(c_items, 21);
}

/// Ctrl-C (SIGINT) mid-batch: the file in flight is finished, the files not started are left
/// out, the output file is complete (every line a whole record) and the summary says so; exit
/// code 130.
#[test]
fn an_interrupted_batch_leaves_a_complete_output_and_a_summary() {
    let dir = scratch("interrupted");
    let path = fake_pdftotext(&dir, "sleep 5");
    std::fs::copy(SAMPLE, dir.join("a.txt")).unwrap();
    std::fs::write(dir.join("b.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    for name in ["c.txt", "d.txt", "e.txt"] {
        std::fs::copy(SAMPLE, dir.join(name)).unwrap();
    }
    let output = dir.join("out.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "-j", "1", "--pdf-timeout", "1", "-o"])
        .arg(&output)
        .args(["a.txt", "b.pdf", "c.txt", "d.txt", "e.txt"].map(|n| dir.join(n)))
        .env("PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        stderr.contains("2 files: 1 documents, 1 errors"),
        "{stderr}"
    );
    let records = lines(&std::fs::read(&output).unwrap());
    let paths: Vec<&str> = records
        .iter()
        .filter(|r| r["type"] == "document" || r["type"] == "error")
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("a.txt") && paths[1].ends_with("b.pdf"));
    assert_eq!(records.last().unwrap()["error"], "timeout");
}

/// Failed files are named on stderr with their error kind; progress is off when stderr is not
/// a terminal; `-q` prints nothing; `-v` names every file.
#[test]
fn failed_files_are_named_and_quiet_is_quiet() {
    let dir = mixed_batch("named_failures");
    let out = juesuan(&["extract", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty.txt: empty: "), "{stderr}");
    assert!(stderr.contains("garbage.txt: "), "{stderr}");
    assert!(
        !stderr.contains("ETA") && !stderr.contains('\r'),
        "{stderr}"
    );
    assert!(stderr.contains("checks: "), "{stderr}");
    let quiet = juesuan(&["extract", "-q", dir.to_str().unwrap()]);
    assert_eq!(quiet.stderr, b"");
    assert_eq!(quiet.stdout, out.stdout);
    let verbose = juesuan(&["extract", "-v", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("a.txt: document, "), "{stderr}");
}

/// `--files-from` (a file or `-`), `--glob` and `--exclude` choose the inputs.
#[test]
fn inputs_from_a_list_and_glob_patterns() {
    let dir = mixed_batch("input_choice");
    let docs = |out: &Output| -> Vec<String> {
        lines(&out.stdout)
            .iter()
            .filter(|r| r["type"] == "document" || r["type"] == "error")
            .map(|r| {
                Path::new(r["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let d = dir.to_str().unwrap();
    let out = juesuan(&["extract", d, "--glob", "*.txt", "--exclude", "garbage*"]);
    assert_eq!(docs(&out), ["a.txt", "empty.txt", "B.TXT", "c.txt"]);
    let out = juesuan(&["extract", d, "--glob", "sub/**"]);
    assert_eq!(docs(&out), ["B.TXT", "c.txt"]);
    let list = dir.join("list");
    std::fs::write(&list, format!("# reports\n{d}/a.txt\n\n{d}/sub/B.TXT\n")).unwrap();
    let out = juesuan(&["extract", "--files-from", list.to_str().unwrap()]);
    assert_eq!(docs(&out), ["a.txt", "B.TXT"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["extract", "--files-from", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{d}/sub/deeper/c.txt\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(docs(&out), ["c.txt"]);
}

/// `--skip-unchanged`: a second load into SQLite reads only the new file.
#[test]
fn skip_unchanged_loads_only_new_files() {
    let dir = scratch("skip_unchanged");
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(SAMPLE, inputs.join("a.txt")).unwrap();
    let db = dir.join("r.db");
    let run = || {
        juesuan(&[
            "extract",
            "--skip-unchanged",
            "-o",
            db.to_str().unwrap(),
            inputs.to_str().unwrap(),
        ])
    };
    let first = run();
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 files: 1 documents"));
    let text = sample_text().replace("2021年度部门决算", "2022年度部门决算");
    std::fs::write(inputs.join("b.txt"), text).unwrap();
    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("1 files: 1 documents") && stderr.contains("1 unchanged, skipped"),
        "{stderr}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let usage = juesuan(&["extract", "--skip-unchanged", SAMPLE]);
    assert_eq!(usage.status.code(), Some(2));
}

/// `--version`, completions and the man page come from the same command definition; the
/// licence files are the ones Cargo.toml names.
#[test]
fn version_completions_man_page_and_licences() {
    let v = juesuan(&["--version"]);
    assert_eq!(
        String::from_utf8(v.stdout).unwrap().trim(),
        format!("juesuan {}", env!("CARGO_PKG_VERSION"))
    );
    let bash = String::from_utf8(juesuan(&["completions", "bash"]).stdout).unwrap();
    assert!(bash.contains("_juesuan()") && bash.contains("--skip-unchanged"));
    let man = String::from_utf8(juesuan(&["man"]).stdout).unwrap();
    assert!(man.contains(".TH juesuan 1") && man.contains("extract"));
    let cargo = std::fs::read_to_string("Cargo.toml").unwrap();
    assert!(cargo.contains("license = \"MIT OR Apache-2.0\""));
    assert!(std::fs::read_to_string("LICENSE-MIT")
        .unwrap()
        .contains("Permission is hereby granted"));
    assert!(std::fs::read_to_string("LICENSE-APACHE")
        .unwrap()
        .contains("Apache License"));
}

/// Every attack of the hostile-input issue in one batch, between good files, run under a 3 GB
/// address-space limit (`ulimit -v`): each attack gives one record of the right kind, every
/// good file its complete document, and the whole batch ends within a minute.
#[test]
fn attacks_between_good_files_under_a_memory_limit() {
    let dir = scratch("attack_batch");
    let sample = sample_text();
    let good = |n: usize| {
        std::fs::write(dir.join(format!("{n:02}_good.txt")), &sample).unwrap();
    };
    let title = "<w:p><w:r><w:t>青禾区档案馆2026年度部门决算</w:t></w:r></w:p>";
    let numbering = |format: &str, start: u64| {
        format!(
            r#"<?xml version="1.0"?><w:numbering {}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{format}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#,
            common::W
        )
    };
    let item = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>项</w:t></w:r></w:p>"#;
    good(0);
    // A list starting near u32::MAX in letters (labels of hundreds of MB, once).
    std::fs::write(
        dir.join("01_letters.docx"),
        common::package(
            &format!("{title}{}", item.repeat(3)),
            None,
            Some(&numbering("upperLetter", 4_294_967_294)),
            None,
        ),
    )
    .unwrap();
    good(2);
    // A 1,000-wide grid of 10,000 rows in a few bytes a row.
    let row = r#"<w:tr><w:trPr><w:gridBefore w:val="999"/></w:trPr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>"#;
    std::fs::write(
        dir.join("03_grid.docx"),
        common::package(
            &format!("{title}<w:tbl>{}</w:tbl>", row.repeat(10_000)),
            None,
            None,
            None,
        ),
    )
    .unwrap();
    good(4);
    let fifo = dir.join("05_fifo.txt");
    let have_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    good(6);
    // Layout text with 80,000 columns.
    let mut wide = String::from("青禾区档案馆2026年度部门决算\n\x0c");
    for r in 0..3 {
        let cells: Vec<String> = (0..80_000).map(|k| ((k + r) % 10).to_string()).collect();
        wide.push_str(&cells.join("   "));
        wide.push('\n');
    }
    std::fs::write(dir.join("07_columns.txt"), wide).unwrap();
    good(8);
    // Amounts that overflow any sum.
    std::fs::write(
        dir.join("09_overflow.txt"),
        "青禾区档案馆2026年度部门决算\n一、收入支出决算总体情况说明\n2026年本年收入合计79228162514264337593543950335万元，其中：财政拨款收入79228162514264337593543950335万元，占100%；其他收入79228162514264337593543950335万元，占100%。\n",
    )
    .unwrap();
    // Deep nesting in a web page.
    std::fs::write(
        dir.join("10_deep.html"),
        format!(
            "<html><body>{}青禾区档案馆2026年度部门决算{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        ),
    )
    .unwrap();
    good(11);
    let started = std::time::Instant::now();
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 3000000 && exec {} extract -j 2 -q {}",
            env!("CARGO_BIN_EXE_juesuan"),
            dir.display()
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let records = lines(&out.stdout);
    let heads: Vec<(String, String)> = records
        .iter()
        .filter(|r| r["type"] == "document" || r["type"] == "error")
        .map(|r| {
            let name = Path::new(r["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let kind = if r["type"] == "document" {
                "document".to_string()
            } else {
                r["error"].as_str().unwrap().to_string()
            };
            (name, kind)
        })
        .collect();
    let mut want = vec![
        ("00_good.txt", "document"),
        ("01_letters.docx", "document"),
        ("02_good.txt", "document"),
        ("03_grid.docx", "too_large"),
        ("04_good.txt", "document"),
        ("05_fifo.txt", "io"),
        ("06_good.txt", "document"),
        ("07_columns.txt", "document"),
        ("08_good.txt", "document"),
        ("09_overflow.txt", "document"),
        ("10_deep.html", "document"),
        ("11_good.txt", "document"),
    ];
    if !have_fifo {
        println!("mkfifo is not available: no FIFO in the batch");
        want.retain(|(n, _)| *n != "05_fifo.txt");
    }
    let want: Vec<(String, String)> = want
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(heads, want, "{}", String::from_utf8_lossy(&out.stderr));
    // Every good file is complete: its 21 line items and 53 figures.
    for r in records
        .iter()
        .filter(|r| r["type"] == "document" && r["path"].as_str().unwrap().ends_with("_good.txt"))
    {
        assert_eq!(
            (&r["counts"]["line_item"], &r["counts"]["figure"]),
            (&serde_json::json!(21), &serde_json::json!(53))
        );
    }
}
