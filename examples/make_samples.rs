//! Writes `samples/yuquan-2021.docx` and `samples/qinghe-2027-budget.docx`: each text sample
//! as a Word document with Word's
//! own list numbering for its headings (each heading's label rendered by Word from a numbering
//! definition, starting at the ordinal the text states, so the irregular `1、` beside `四、`
//! survives) and its tables as Word tables, a first cell left empty under a filled one written
//! as a vertical merge. Run once; the output is committed (samples/README.md).
//!
//! `cargo run --example make_samples`

use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
    NumberingId, Paragraph, Run, Start, Table, TableCell, TableRow, VMergeType,
};
use juesuan::model::{BlockKind, Format};
use juesuan::numbering::{split_label, Style};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for name in ["yuquan-2021", "qinghe-2027-budget"] {
        write_docx(name)?;
    }
    Ok(())
}

/// `samples/NAME.txt` → `samples/NAME.docx`.
fn write_docx(name: &str) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(format!("samples/{name}.txt"))?;
    let doc = juesuan::reader::parse_text(&text, Format::Text, Some("utf-8"));
    let mut docx = Docx::new();
    let mut next_id = 1;
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Heading(h) => {
                let label = split_label(&h.text).filter(|l| h.label.as_deref() == Some(l.text));
                match label.and_then(|l| word_format(l.style, l.text).map(|f| (l, f))) {
                    Some((l, (format, level_text))) => {
                        let id = next_id;
                        next_id += 1;
                        docx = docx
                            .add_abstract_numbering(AbstractNumbering::new(id).add_level(
                                Level::new(
                                    0,
                                    Start::new(l.ordinal as usize),
                                    NumberFormat::new(format),
                                    LevelText::new(level_text),
                                    LevelJc::new("left"),
                                ),
                            ))
                            .add_numbering(Numbering::new(id, id))
                            .add_paragraph(
                                Paragraph::new()
                                    .add_run(Run::new().add_text(l.rest))
                                    .numbering(NumberingId::new(id), IndentLevel::new(0)),
                            );
                    }
                    None => {
                        docx = docx
                            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&h.text)))
                    }
                }
            }
            BlockKind::Table(t) => {
                let first = |r: usize| t.text(r, 0).unwrap_or_default();
                let width = t.n_cols();
                let rows: Vec<TableRow> = t
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let cells: Vec<&juesuan::model::Cell> =
                            row.cells.iter().flatten().collect();
                        let n = cells.len();
                        let tc = cells
                            .iter()
                            .enumerate()
                            .map(|(c, cell)| {
                                let mut tc = TableCell::new().add_paragraph(
                                    Paragraph::new().add_run(Run::new().add_text(&cell.text)),
                                );
                                if c == 0 && r > 0 && cell.text.is_empty() && n > 1 {
                                    tc = tc.vertical_merge(VMergeType::Continue);
                                } else if c == 0
                                    && !cell.text.is_empty()
                                    && r + 1 < t.rows.len()
                                    && first(r + 1).is_empty()
                                    && t.rows[r + 1].cells.len() > 1
                                {
                                    tc = tc.vertical_merge(VMergeType::Restart);
                                }
                                // A short row's last cell spans the rest of the grid.
                                if c + 1 == n && n < width {
                                    tc = tc.grid_span(width - n + 1);
                                }
                                tc
                            })
                            .collect();
                        TableRow::new(tc)
                    })
                    .collect();
                docx = docx.add_table(Table::new(rows));
            }
            _ => {
                let t = b.text().unwrap_or_default();
                docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
            }
        }
    }
    let file = std::fs::File::create(format!("samples/{name}.docx"))?;
    docx.build().pack(file)?;
    eprintln!("wrote samples/{name}.docx");
    Ok(())
}

/// Word's number format and level text for a label style (`一、` → chineseCounting `%1、`).
fn word_format(style: Style, label: &str) -> Option<(&'static str, &'static str)> {
    let digits = label.chars().any(|c| c.is_ascii_digit());
    Some(match style {
        Style::Part if digits => ("decimal", "第%1部分"),
        Style::Part => ("chineseCounting", "第%1部分"),
        Style::Chinese => ("chineseCounting", "%1、"),
        Style::ParenChinese if label.starts_with('（') => ("chineseCounting", "（%1）"),
        Style::ParenChinese => ("chineseCounting", "(%1)"),
        Style::ArabicDot if label.ends_with('．') => ("decimal", "%1．"),
        Style::ArabicDot => ("decimal", "%1."),
        Style::ArabicComma => ("decimal", "%1、"),
        Style::ParenArabic if label.starts_with('（') => ("decimal", "（%1）"),
        Style::ParenArabic => ("decimal", "(%1)"),
        Style::Circled => return None,
    })
}
