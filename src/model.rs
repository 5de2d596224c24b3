//! The document model every reader builds and every extractor reads.
//!
//! A report, whatever its format, is a flat sequence of [`Block`]s in reading order:
//! headings, paragraphs and tables. Readers fill it; extractors only read it. The model
//! knows nothing about budgets and nothing about JSON (the record layer renders it for
//! `juesuan dump`), so a new reader or a new extractor never has to touch the other side.

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: the .docx-converted text of the sample, or layout text.
    Text,
    /// A Word document.
    Docx,
    /// A PDF, read through its layout text.
    Pdf,
    /// A web page.
    Html,
    /// An Excel workbook (Office Open XML).
    Xlsx,
    /// An Excel 97–2003 workbook.
    Xls,
    /// A Word 97–2003 document, read through antiword.
    Doc,
}

impl Format {
    /// The name used in `document.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Doc => "doc",
        }
    }
}

/// A whole report as a reader saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub format: Format,
    /// The text encoding the bytes were decoded from (`"utf-8"`, `"gb18030"`), `None` for
    /// formats that carry their own (docx).
    pub encoding: Option<&'static str>,
    pub blocks: Vec<Block>,
    /// Tables published as images (a web page's `<img>` where a 公开表 should be): their numbers
    /// are not in `blocks`, and a user should know.
    pub image_tables: usize,
}

/// Where a block starts in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    /// 0-based index of the block in [`Document::blocks`].
    pub block: usize,
    /// 1-based line in a text source; `None` for formats without lines (docx).
    pub line: Option<u32>,
    /// 1-based page the block starts on, for paged sources (PDF and layout text: a form feed
    /// ends a page); `None` for formats without pages (plain text, docx).
    pub page: Option<u32>,
}

/// One paragraph, heading or table.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A line the reader believes is a heading: numbered like one (`四、财政拨款…`) or marked
    /// as one by the source format. The extractors decide the final level.
    Heading(Heading),
    /// Running text, one line of a text file or one paragraph of a Word document.
    Paragraph(Paragraph),
    Table(Table),
    /// A footnote or endnote of a Word document, after the body.
    Note(Note),
}

/// Which kind of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Footnote,
    Endnote,
}

/// A footnote or endnote.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    /// The note's id in the document.
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// The full text as displayed, label included (`四、财政拨款收入支出决算总体情况说明`).
    pub text: String,
    /// The numbering label as written or rendered (`四、`, `（一）`, `第3部分`), if any.
    pub label: Option<String>,
    /// The outline level the source format states (Word's `w:outlineLvl`, 0-based), if any.
    pub outline_level: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The full text as displayed, with any rendered numbering label in front.
    pub text: String,
}

/// A table as a grid of rows. Rows may have different numbers of cells when the source does
/// not say how cells line up (the tab-separated text of the sample).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// `None` marks a grid position covered by a merged cell whose text sits at its origin.
    pub cells: Vec<Option<Cell>>,
    /// 1-based source line where the row starts, for text sources.
    pub line: Option<u32>,
    /// 1-based page the row is printed on, for paged sources.
    pub page: Option<u32>,
    /// Whether each cell's grid column is certain. False for the ragged rows of TAB text
    /// (where a merged cell may simply be missing) and for layout rows continued on another
    /// page, whose columns are matched by rank.
    pub aligned: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell text, line breaks inside the cell already joined.
    pub text: String,
    /// Number of grid columns this cell spans (1 when not merged).
    pub col_span: u32,
    /// Number of grid rows this cell spans (1 when not merged).
    pub row_span: u32,
    /// Tables nested in the cell, kept as tables.
    pub nested: Vec<Table>,
}

impl Cell {
    /// A cell spanning one grid position.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
            nested: Vec::new(),
        }
    }
}

impl Table {
    /// The grid's cell texts row by row, trimmed; `None` for a covered or missing position
    /// and for an empty text.
    pub fn trimmed_texts(&self) -> Vec<Vec<Option<String>>> {
        self.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| {
                        let text = c.as_ref()?.text.trim();
                        (!text.is_empty()).then(|| text.to_string())
                    })
                    .collect()
            })
            .collect()
    }

    /// The grid's cell texts row by row as printed, `None` for a covered or missing position,
    /// moved out of the table: a report's tables were copied cell by cell into their records.
    pub fn into_texts(self) -> Vec<Vec<Option<String>>> {
        self.rows
            .into_iter()
            .map(|r| r.cells.into_iter().map(|c| c.map(|c| c.text)).collect())
            .collect()
    }

    /// The widest row's number of grid positions.
    pub fn n_cols(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    }

    /// The text at a grid position; `None` for covered or missing positions.
    pub fn text(&self, row: usize, col: usize) -> Option<&str> {
        self.rows
            .get(row)?
            .cells
            .get(col)?
            .as_ref()
            .map(|c| c.text.as_str())
    }
}

impl Block {
    /// The block's text for paragraphs and headings; `None` for tables.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            BlockKind::Heading(h) => Some(&h.text),
            BlockKind::Paragraph(p) => Some(&p.text),
            BlockKind::Note(n) => Some(&n.text),
            BlockKind::Table(_) => None,
        }
    }
}

#[cfg(test)]
impl Block {
    /// A one-line summary for reader tests: `H（一）:text` (with the label when asked),
    /// `P:text`, `N:text`, `T:a|b / c|d`.
    pub(crate) fn summary(&self, with_label: bool) -> String {
        match &self.kind {
            BlockKind::Heading(h) if with_label => {
                format!("H{}:{}", h.label.as_deref().unwrap_or(""), h.text)
            }
            BlockKind::Heading(h) => format!("H:{}", h.text),
            BlockKind::Paragraph(p) => format!("P:{}", p.text),
            BlockKind::Note(n) => format!("N:{}", n.text),
            BlockKind::Table(t) => format!(
                "T:{}",
                t.rows
                    .iter()
                    .map(|r| r
                        .cells
                        .iter()
                        .map(|c| c.as_ref().map_or("", |c| c.text.as_str()))
                        .collect::<Vec<_>>()
                        .join("|"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
        }
    }
}
