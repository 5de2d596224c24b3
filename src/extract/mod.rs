//! Extractors: [`Document`] → [`Extraction`], the report's structure and numbers as plain
//! Rust values. Extraction is pure and never fails: what it cannot read becomes `None` or is
//! left out, never an error, and nothing here knows about files, encodings or JSON.

#[cfg(test)]
mod cases;
pub mod change;
pub mod figures;
pub mod indicators;
mod labels;
pub mod line_items;
pub mod meta;
pub mod sections;
pub mod tables;
pub mod unread;

pub use figures::{Figure, Figures};
pub use indicators::{Indicator, Project};
pub use line_items::LineItem;
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
    pub line_items: Vec<LineItem>,
    pub figures: Figures,
    pub projects: Vec<Project>,
    /// Narrative amounts no figure or line item took.
    pub unread: Vec<unread::Unread>,
}

/// Runs every extractor over a document. The consistency checks are the next stage
/// ([`crate::check::check`]), run over what this returns.
pub fn extract(doc: &Document) -> Extraction {
    let meta = meta::extract_meta(doc);
    let sections = sections::extract_sections(doc);
    let tables = tables::extract_tables(doc);
    let line_items = line_items::extract_line_items(doc, &tables, meta.kind);
    let figures = figures::extract_figures(doc, &sections, meta.kind);
    let projects = indicators::extract_projects(doc, &tables);
    let unread = unread::unread_amounts(doc, &figures, &line_items);
    Extraction {
        meta,
        sections,
        tables,
        line_items,
        figures,
        projects,
        unread,
    }
}

impl Extraction {
    /// Whether the document shows any sign of a 决算/预算 report: its unit, year or kind, a
    /// section or table the template names, a figure or a line item. A readme or a letter
    /// shows none and must not pass as a report with every field null.
    pub fn looks_like_a_report(&self) -> bool {
        self.meta.unit.is_some()
            || self.meta.year.is_some()
            || self.meta.kind.is_some()
            || self.sections.iter().any(|s| s.key.is_some())
            || self.tables.iter().any(|t| t.key.is_some())
            || !self.figures.list.is_empty()
            || !self.line_items.is_empty()
            || !self.projects.is_empty()
    }

    /// The innermost section a block belongs to: the last heading at or before it.
    pub fn section_at(&self, block: usize) -> Option<&Section> {
        sections::section_at(&self.sections, block).map(|i| &self.sections[i])
    }
}
