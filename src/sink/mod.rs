//! Sinks: where records go. A sink receives the records of one file at a time, in input
//! order; it never sees two files interleaved.
//!
//! JSON Lines is the wire format of SCHEMA.md; the tabular sinks (CSV, SQLite) share one
//! flattening of the records into typed tables, [`columns`]; so does PostgreSQL (cargo
//! feature `postgres`, on by default).

mod cells;
#[doc(hidden)]
pub mod columns;
mod csv;
mod jsonl;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

pub use self::csv::CsvSink;
#[cfg(feature = "parquet")]
pub use self::parquet::ParquetSink;
#[cfg(feature = "postgres")]
pub use self::postgres::PostgresSink;
pub use jsonl::JsonlSink;
pub use sqlite::SqliteSink;

use crate::record::Record;

/// A destination for records.
pub trait Sink {
    /// Writes all records of one input file.
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()>;
    /// Flushes buffered output.
    fn finish(&mut self) -> std::io::Result<()>;
}
