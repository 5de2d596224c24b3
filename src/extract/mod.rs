//! Extractors: [`Document`] → [`Extraction`], the report's structure and numbers as plain
//! Rust values. Extraction is pure and never fails: what it cannot read becomes `None` or is
//! left out, never an error, and nothing here knows about files, encodings or JSON.

pub mod figures;
pub mod indicators;
pub mod line_items;
pub mod meta;
pub mod sections;
pub mod tables;

pub use figures::{Figure, Figures};
pub use indicators::{Indicator, Project};
pub use line_items::LineItem;
pub use meta::{Meta, ReportKind};
pub use sections::Section;
pub use tables::TableInfo;

use crate::check::{self, Check};
use crate::model::Document;

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub meta: Meta,
    pub sections: Vec<Section>,
    pub tables: Vec<TableInfo>,
    pub line_items: Vec<LineItem>,
    pub figures: Figures,
    pub projects: Vec<Project>,
    pub checks: Vec<Check>,
}

/// Runs every extractor over a document, then the consistency checks.
pub fn extract(doc: &Document) -> Extraction {
    let meta = meta::extract_meta(doc);
    let sections = sections::extract_sections(doc);
    let tables = tables::extract_tables(doc);
    let line_items = line_items::extract_line_items(doc, &tables, meta.kind);
    let figures = figures::extract_figures(doc, &sections);
    let projects = indicators::extract_projects(doc, &tables);
    let balance_stated = doc
        .blocks
        .iter()
        .filter_map(|b| b.text())
        .any(|t| t.contains("收支平衡"));
    let checks = check::check(&check::Context {
        year: meta.year,
        items: &line_items,
        figures: &figures,
        balance_stated,
        table_totals: &tables::table_totals(doc, &tables),
        year_statements: &meta::year_statements(doc, meta.kind),
        placeholders: &meta::placeholders(doc),
    });
    Extraction {
        meta,
        sections,
        tables,
        line_items,
        figures,
        projects,
        checks,
    }
}

impl Extraction {
    /// The innermost section a block belongs to: the last heading at or before it.
    pub fn section_at(&self, block: usize) -> Option<&Section> {
        sections::section_at(&self.sections, block).map(|i| &self.sections[i])
    }
}
