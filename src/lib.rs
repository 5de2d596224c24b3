//! juesuan turns Chinese government departmental final-accounts (部门决算) and budget (部门预算)
//! reports into validated, normalized records (the field reference is `docs/fields.md`; the
//! JSON Schema is [`record::json_schema`]).
//!
//! Inside, the pipeline is one stage per module, flowing one way: a reader turns a file's bytes
//! into a document (headings, paragraphs, tables with their source locations); the extractors
//! read meta data, sections, tables, line items, figures and performance tables from it; the
//! checks judge its arithmetic; the result is rendered as [`Record`]s and a [`Sink`] writes them.
//!
//! The stable API is what these pages show:
//! - [`process`] and [`process_bytes`]: one file (or its bytes, in any format juesuan reads,
//!   PDF included) to its records;
//! - [`run_batch`] and [`run_batch_with`]: many files in parallel, written to a [`Sink`] in
//!   input order, one bad file never stopping the others;
//! - the [`record`] types, which serialize to and deserialize from the JSON Lines wire format;
//! - the sinks ([`sink`]: JSON Lines, CSV, SQLite, Parquet, PostgreSQL) and the [`Sink`] trait
//!   for your own;
//! - [`ReadError`], whose [`ReadError::kind`] is the `error` record's stable kind.
//!
//! ```
//! use std::path::Path;
//! use juesuan::{process_bytes, ReadConfig, Record};
//!
//! let report = "攀枝花市西区玉泉街道办事处2021年度部门决算\n\
//!               第一部分部门概况\n\
//!               三、一般公共预算财政拨款支出决算具体情况\n\
//!               2021年一般公共预算财政拨款支出 642.25 万元。\n";
//! let records = process_bytes(Path::new("report.txt"), report.as_bytes(), &ReadConfig::default());
//! let Record::Document(doc) = &records[0] else { panic!("{records:?}") };
//! assert_eq!(doc.unit.as_deref(), Some("攀枝花市西区玉泉街道办事处"));
//! assert_eq!(doc.year, Some(2021));
//! assert_eq!(doc.report_kind.as_deref(), Some("final_accounts"));
//!
//! // Records read back from their JSON, as a downstream program would.
//! let line = serde_json::to_string(&records[0]).unwrap();
//! let back: Record = serde_json::from_str(&line).unwrap();
//! assert_eq!(back, records[0]);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// An item public but hidden from the documentation with the `internals` feature, for the
/// binary, tests and benches; private to the crate without it.
macro_rules! internal {
    ($(#[$m:meta])* struct $($rest:tt)*) => {
        #[cfg(feature = "internals")]
        $(#[$m])*
        #[doc(hidden)]
        pub struct $($rest)*
        #[cfg(not(feature = "internals"))]
        $(#[$m])*
        pub(crate) struct $($rest)*
    };
    ($(#[$m:meta])* fn $($rest:tt)*) => {
        #[cfg(feature = "internals")]
        $(#[$m])*
        #[doc(hidden)]
        pub fn $($rest)*
        #[cfg(not(feature = "internals"))]
        $(#[$m])*
        pub(crate) fn $($rest)*
    };
}

/// Whether a text holds a literal word, with a SIMD searcher built once for the call site.
/// `str::contains` builds a two-way searcher on every call, for a character outside ASCII
/// too (`contains('表')` searches for its UTF-8 as a string): asked of every paragraph and
/// table cell, those set-ups were 2.5% of a text batch's samples (`perf`).
macro_rules! holds {
    ($text:expr, $word:literal) => {{
        static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new($word));
        FINDER.find(str::as_bytes($text)).is_some()
    }};
}

// The stable API: the pipeline's entry points, the record types, the sinks and the errors.
mod anchored;
pub mod error;
pub mod pipeline;
mod pool;
mod prefilter;
pub mod record;
pub mod sink;
#[cfg(test)]
mod test_texts;

// The stages. Without the `internals` feature (a library built with `default-features =
// false`) they are private to the crate; the `juesuan` binary, the integration tests, the
// benches and the sample generator turn it on (the `cli` feature does) to reach them. Even
// then they are hidden from the documentation and are not part of the stable API.
macro_rules! stages {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "internals")]
            #[doc(hidden)]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            #[allow(dead_code, unused_imports)]
            mod $name;
        )*
    };
}
stages!(
    check,
    classification,
    extract,
    keys,
    model,
    money,
    numbering,
    reader,
    text
);

pub use error::ReadError;
pub use model::Format;
pub use pipeline::{process, process_bytes, run_batch, run_batch_with, Summary};
pub use reader::ReadConfig;
pub use record::Record;
pub use sink::Sink;
