//! Extractors: [`Document`] → [`Extraction`], the report's structure and numbers as plain
//! Rust values. Extraction is pure and never fails: what it cannot read becomes `None` or is
//! left out, never an error, and nothing here knows about files, encodings or JSON.

pub mod meta;
pub mod sections;
pub mod tables;

pub use meta::{Meta, ReportKind};
pub use sections::Section;
pub use tables::TableInfo;

use crate::model::Document;

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub meta: Meta,
    pub sections: Vec<Section>,
    pub tables: Vec<TableInfo>,
}

/// Runs every extractor over a document.
pub fn extract(doc: &Document) -> Extraction {
    Extraction {
        meta: meta::extract_meta(doc),
        sections: sections::extract_sections(doc),
        tables: tables::extract_tables(doc),
    }
}

impl Extraction {
    /// The innermost section a block belongs to: the last heading at or before it.
    pub fn section_at(&self, block: usize) -> Option<&Section> {
        let i = self.sections.partition_point(|s| s.loc.block <= block);
        i.checked_sub(1).map(|i| &self.sections[i])
    }
}
