//! Sinks: where records go. A sink receives the records of one file at a time, in input
//! order; it never sees two files interleaved.

pub mod jsonl;

pub use jsonl::JsonlSink;

use crate::record::Record;

/// A destination for records.
pub trait Sink {
    /// Writes all records of one input file.
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()>;
    /// Flushes buffered output.
    fn finish(&mut self) -> std::io::Result<()>;
}
