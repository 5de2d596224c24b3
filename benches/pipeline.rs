//! The pipeline's stages on the bundled samples: decode + read, extract, write JSONL, a whole
//! batch (one thread against two; written as JSONL, CSV, SQLite and Parquet), the sinks alone
//! on the same records, and the .docx reader against docx-rs's reader. Each measurement asserts the amount of work it did (blocks, records), so a
//! regression that makes a stage do nothing cannot pass as a speed-up.
//!
//! `cargo bench --bench pipeline`; CI only compiles it (`cargo bench --no-run`).

use std::path::{Path, PathBuf};

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use juesuan::check::check;
use juesuan::extract::extract;
use juesuan::model::Format;
use juesuan::pipeline;
use juesuan::reader::text;
use juesuan::reader::ReadConfig;
use juesuan::record::{self, Source};
use juesuan::sink::{JsonlSink, Sink};

const SAMPLE: &str = "samples/yuquan-2021.txt";

fn stages(c: &mut Criterion) {
    let bytes = std::fs::read(SAMPLE).expect("run benches from the package root");
    let n = bytes.len() as u64;
    let source = Source::new(Path::new(SAMPLE), &bytes);

    let mut g = c.benchmark_group("read_text");
    g.throughput(Throughput::Bytes(n));
    g.bench_function("yuquan-2021", |b| {
        b.iter(|| {
            let (s, enc) = text::decode(black_box(&bytes)).unwrap();
            let doc = text::parse(&s, Format::Text, Some(enc));
            assert_eq!(doc.blocks.len(), 204);
            doc
        })
    });
    g.finish();

    let (s, enc) = text::decode(&bytes).unwrap();
    let doc = text::parse(&s, Format::Text, Some(enc));
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(n));
    g.bench_function("yuquan-2021", |b| {
        b.iter(|| {
            let ex = extract(black_box(&doc));
            assert_eq!(
                (
                    ex.sections.len(),
                    ex.line_items.len(),
                    ex.figures.list.len()
                ),
                (64, 21, 53)
            );
            ex
        })
    });
    g.finish();

    // Each extractor alone, on the same document: where extraction's time goes.
    {
        use juesuan::extract::{figures, indicators, line_items, meta, sections, tables, unread};
        let m = meta::extract_meta(&doc);
        let secs = sections::extract_sections(&doc);
        let tabs = tables::extract_tables(&doc);
        let items = line_items::extract_line_items(&doc, &tabs, m.kind);
        let figs = figures::extract_figures(&doc, &secs, m.kind);
        let mut g = c.benchmark_group("extractor");
        g.bench_function("meta", |b| b.iter(|| meta::extract_meta(black_box(&doc))));
        g.bench_function("sections", |b| {
            b.iter(|| sections::extract_sections(black_box(&doc)))
        });
        g.bench_function("tables", |b| {
            b.iter(|| tables::extract_tables(black_box(&doc)))
        });
        g.bench_function("line_items", |b| {
            b.iter(|| line_items::extract_line_items(black_box(&doc), &tabs, m.kind))
        });
        g.bench_function("figures", |b| {
            b.iter(|| figures::extract_figures(black_box(&doc), &secs, m.kind))
        });
        g.bench_function("projects", |b| {
            b.iter(|| indicators::extract_projects(black_box(&doc), &tabs))
        });
        g.bench_function("unread", |b| {
            b.iter(|| unread::unread_amounts(black_box(&doc), &figs, &items))
        });
        g.finish();
    }

    let ex = extract(&doc);
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Bytes(n));
    g.bench_function("yuquan-2021", |b| {
        b.iter(|| {
            let checks = check(black_box(&doc), black_box(&ex));
            assert!(checks.len() >= 16);
            checks
        })
    });
    g.finish();
    let checks = check(&doc, &ex);
    let records = record::build(&source, doc, ex, checks);
    let mut g = c.benchmark_group("write_jsonl");
    g.throughput(Throughput::Bytes(n));
    g.bench_function("yuquan-2021", |b| {
        b.iter(|| {
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut sink = JsonlSink::new(&mut buf);
            sink.write_file(black_box(&records)).unwrap();
            sink.finish().unwrap();
            drop(sink);
            assert_eq!(buf.iter().filter(|&&c| c == b'\n').count(), records.len());
            buf
        })
    });
    g.finish();
}

/// A batch of copies of the sample, one thread against two: the ratio is the parallel gain.
fn batch(c: &mut Criterion) {
    let dir = std::env::temp_dir().join("juesuan-bench-batch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read(SAMPLE).unwrap();
    let files: Vec<PathBuf> = (0..32)
        .map(|i| {
            let p = dir.join(format!("r{i:02}.txt"));
            std::fs::write(&p, &text).unwrap();
            p
        })
        .collect();
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Bytes(text.len() as u64 * files.len() as u64));
    g.sample_size(20);
    for jobs in [1, 2] {
        g.bench_function(format!("32_files_jobs_{jobs}"), |b| {
            b.iter(|| {
                let mut sink = JsonlSink::new(std::io::sink());
                let s =
                    pipeline::run_batch(&files, &ReadConfig::default(), jobs, &mut sink).unwrap();
                assert_eq!((s.documents, s.records["section"]), (32, 32 * 64));
                s
            })
        });
    }
    g.finish();

    // The same batch (2 threads) written to a JSONL file (the baseline), CSV, SQLite, Parquet.
    use juesuan::sink::{CsvSink, ParquetSink, SqliteSink};
    let out = tempfile::tempdir().unwrap();
    let mut run = 0;
    let mut fresh = |name: &str| {
        run += 1;
        out.path().join(format!("{name}-{run}"))
    };
    let mut g = c.benchmark_group("batch_output");
    g.throughput(Throughput::Bytes(text.len() as u64 * files.len() as u64));
    g.sample_size(20);
    let mut go = |name: &str, make: &mut dyn FnMut(&Path) -> Box<dyn Sink>| {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = make(&fresh(name));
                let s =
                    pipeline::run_batch(&files, &ReadConfig::default(), 2, sink.as_mut()).unwrap();
                assert_eq!(s.documents, 32);
                s
            })
        });
    };
    go("jsonl_file_baseline", &mut |p| {
        Box::new(JsonlSink::new(std::fs::File::create(p).unwrap()))
    });
    go("csv", &mut |p| Box::new(CsvSink::create(p).unwrap()));
    go("sqlite", &mut |p| Box::new(SqliteSink::open(p).unwrap()));
    go("parquet", &mut |p| {
        Box::new(ParquetSink::create(p).unwrap())
    });
    g.finish();
}

/// The .docx reader against docx-rs's reader (the baseline) on the sample rendered as .docx.
fn read_docx(c: &mut Criterion) {
    use docx_rs::{Docx, Paragraph, Run};
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let doc = text::parse(&text, Format::Text, Some("utf-8"));
    let mut docx = Docx::new();
    for b in &doc.blocks {
        if let Some(t) = b.text() {
            docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buf).unwrap();
    let bytes = buf.into_inner();
    let paragraphs = doc.blocks.iter().filter(|b| b.text().is_some()).count();
    let mut g = c.benchmark_group("read_docx");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("juesuan", |b| {
        b.iter(|| {
            let d = juesuan::reader::docx::read_docx(
                Path::new("s.docx"),
                black_box(&bytes),
                &ReadConfig::default(),
            )
            .unwrap();
            assert_eq!(d.blocks.len(), paragraphs);
            d
        })
    });
    g.bench_function("docx_rs_baseline", |b| {
        b.iter(|| {
            let d = docx_rs::read_docx(black_box(&bytes)).unwrap();
            assert_eq!(d.document.children.len(), paragraphs);
            d
        })
    });
    g.finish();
}

/// The layout reader over the corpus reports' `pdftotext -layout` text (all nine, read in one
/// iteration), where `../shared/corpus` is present; the blocks are counted so that a reader
/// that drops text cannot pass as faster.
fn read_layout(c: &mut Criterion) {
    let dir = Path::new("../shared/corpus/reports");
    let Ok(entries) = std::fs::read_dir(dir) else {
        println!("read_layout skipped: {} is absent", dir.display());
        return;
    };
    let mut texts: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".layout.txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    let n: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("read_layout");
    g.throughput(Throughput::Bytes(n as u64));
    g.bench_function("corpus", |b| {
        b.iter(|| {
            let blocks: usize = texts
                .iter()
                .map(|t| {
                    juesuan::reader::layout::parse(black_box(t), Format::Pdf, None)
                        .blocks
                        .len()
                })
                .sum();
            assert!(blocks > 1000, "{blocks} blocks");
            blocks
        })
    });
    g.finish();
}

/// Writing the same records (the sample's, 64 copies: ~7,000 records) as JSONL (the baseline),
/// CSV, SQLite and Parquet. Each run writes into a fresh file or directory, as a batch does.
fn sinks(c: &mut Criterion) {
    use juesuan::sink::{CsvSink, ParquetSink, SqliteSink};
    let one = juesuan::process(Path::new(SAMPLE), &ReadConfig::default());
    // 64 documents: the sample's records under 64 document ids (SQLite replaces by `doc`).
    let files: Vec<Vec<record::Record>> = (0..64)
        .map(|k| {
            let id = format!("{k:016x}");
            one.iter()
                .cloned()
                .map(|mut r| {
                    set_doc(&mut r, &id);
                    r
                })
                .collect()
        })
        .collect();
    let n: usize = files.iter().map(Vec::len).sum();
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("sinks");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(20);
    let mut run = 0;
    let mut fresh = |name: &str| {
        run += 1;
        dir.path().join(format!("{name}-{run}"))
    };
    g.bench_function("jsonl_baseline", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(1 << 20);
            let mut sink = JsonlSink::new(&mut out);
            for f in &files {
                sink.write_file(f).unwrap();
            }
            sink.finish().unwrap();
            drop(sink);
            assert_eq!(out.iter().filter(|b| **b == b'\n').count(), n);
            out
        })
    });
    g.bench_function("csv", |b| {
        b.iter(|| {
            let mut sink = CsvSink::create(&fresh("csv")).unwrap();
            for f in &files {
                sink.write_file(f).unwrap();
            }
            sink.finish().unwrap();
        })
    });
    g.bench_function("sqlite", |b| {
        b.iter(|| {
            let mut sink = SqliteSink::open(&fresh("sqlite.db")).unwrap();
            for f in &files {
                sink.write_file(f).unwrap();
            }
            sink.finish().unwrap();
        })
    });
    g.bench_function("parquet", |b| {
        b.iter(|| {
            let mut sink = ParquetSink::create(&fresh("parquet")).unwrap();
            for f in &files {
                sink.write_file(f).unwrap();
            }
            sink.finish().unwrap();
        })
    });
    g.finish();
}

/// Gives a record another document id.
fn set_doc(r: &mut record::Record, id: &str) {
    use juesuan::record::Record::*;
    match r {
        Document(x) => {
            x.doc = id.to_string();
            x.path = format!("{id}.txt");
        }
        Section(x) => x.doc = id.to_string(),
        LineItem(x) => x.doc = id.to_string(),
        Figure(x) => x.doc = id.to_string(),
        Project(x) => x.doc = id.to_string(),
        Indicator(x) => x.doc = id.to_string(),
        Table(x) => x.doc = id.to_string(),
        Check(x) => x.doc = id.to_string(),
        Expenditure(x) => x.doc = id.to_string(),
        Error(x) => x.doc = Some(id.to_string()),
        _ => {}
    }
}

criterion_group!(benches, stages, batch, read_docx, read_layout, sinks);
criterion_main!(benches);
