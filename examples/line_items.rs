//! Embedding juesuan as a library, without its command line (`default-features = false`): a
//! report read from bytes in memory (as a crawler or an upload handler has it), its records
//! given to a custom [`Sink`] that keeps only the line items and prints them as TSV.
//!
//! `cargo run --no-default-features --example line_items [FILE]` (default: the bundled sample).

use std::path::Path;

use juesuan::record::Record;
use juesuan::{ReadConfig, Sink};

/// A sink that prints each line item's table, code, name and amount in yuan.
struct LineItemsTsv {
    rows: usize,
}

impl Sink for LineItemsTsv {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        for r in records {
            if let Record::LineItem(i) = r {
                println!(
                    "{}\t{}\t{}\t{}",
                    i.table.as_deref().unwrap_or("-"),
                    i.code.as_deref().unwrap_or("-"),
                    i.name,
                    i.amount.as_deref().unwrap_or("-")
                );
                self.rows += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        eprintln!("{} line items", self.rows);
        Ok(())
    }
}

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samples/yuquan-2021.txt".to_string());
    // The bytes could come from anywhere; the name only says which reader to use.
    let bytes = std::fs::read(&path)?;
    let records = juesuan::process_bytes(Path::new(&path), &bytes, &ReadConfig::default());
    let mut sink = LineItemsTsv { rows: 0 };
    sink.write_file(&records)?;
    sink.finish()
}
