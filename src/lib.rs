//! juesuan turns Chinese government departmental final-accounts (部门决算) and budget (部门预算)
//! reports into validated, normalized records (`../shared/SCHEMA.md`).
//!
//! The pipeline is one type per stage, flowing one way: a reader turns a file's bytes into a
//! [`model::Document`] (headings, paragraphs, tables with their source locations); the
//! extractors turn the document into an [`extract::Extraction`] (meta data, sections, tables,
//! line items, figures, performance projects) and [`check`] judges its arithmetic;
//! [`record::build`] renders that as [`record::Record`]s; a [`sink::Sink`] writes them.
//! [`pipeline::run_batch`] runs many files in parallel with output in input order.
//!
//! ```
//! use juesuan::{extract::extract, model::Format, reader::text::parse};
//! let doc = parse(
//!     "第一部分部门概况\n纳入攀枝花市西区玉泉街道办事处2021年度部门决算编制范围的二级预算单位包括：无。\n",
//!     Format::Text,
//!     Some("utf-8"),
//! );
//! let ex = extract(&doc);
//! assert_eq!(ex.meta.unit.as_deref(), Some("攀枝花市西区玉泉街道办事处"));
//! assert_eq!(ex.meta.year, Some(2021));
//! assert_eq!(ex.sections[0].key, Some("overview"));
//! ```
#![forbid(unsafe_code)]

pub mod check;
pub mod classification;
pub mod error;
pub mod extract;
pub mod keys;
pub mod model;
pub mod money;
pub mod numbering;
pub mod pipeline;
pub mod reader;
pub mod record;
pub mod sink;
pub mod text;

pub use error::ReadError;
pub use pipeline::{process, process_bytes};
