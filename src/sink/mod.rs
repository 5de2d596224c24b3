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
    /// How this sink turns one file's records into bytes, when that needs nothing of the sink
    /// itself. A batch on more than one worker then encodes each file on the worker that made
    /// its records and hands the sink only the bytes ([`Sink::write_encoded`]): the records
    /// are serialized and freed where they were allocated, and the writing thread, which
    /// every worker waits on, is left with the writes. `None` (the default): the sink is
    /// handed the records.
    fn encoder(&self) -> Option<Encoder> {
        None
    }
    /// Writes one file's records as [`Sink::encoder`] encoded them: the bytes
    /// [`Sink::write_file`] writes for the same records. The default, for a sink without an
    /// encoder, refuses them.
    fn write_encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let _ = bytes;
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "this sink takes records, not encoded bytes",
        ))
    }
    /// Called when the batch has waited a while (a tenth of a second) for its next file: a
    /// sink that holds writes open across files (SQLite's group of files) ends them here, so
    /// that nothing stays held while a slow file is read. The default does nothing.
    fn pause(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    /// Whether this sink writes a file's records as their rows ([`columns::Rows`]): a
    /// tabular sink does. A batch on more than one worker then makes each file's rows on the
    /// worker that made its records, as it encodes them for a sink with an
    /// [`Sink::encoder`], and hands the sink the rows ([`Sink::write_rows`]).
    fn takes_rows(&self) -> bool {
        false
    }
    /// Writes one file's records as their rows: what [`Sink::write_file`] writes for the
    /// same records. The default, for a sink that does not take rows, refuses them.
    fn write_rows(&mut self, rows: columns::Rows) -> std::io::Result<()> {
        let _ = rows;
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "this sink takes records, not rows",
        ))
    }
}

/// A sink's encoding of one file's records into bytes, appended to the vector
/// ([`Sink::encoder`]). A plain function, so that every worker can hold it.
pub type Encoder = fn(&[Record], &mut Vec<u8>) -> std::io::Result<()>;
