//! Spreadsheets (`.xlsx`, `.xls`), read with calamine: portals attach the 公开表 as Excel.
//!
//! Each sheet becomes its title rows as paragraphs (`2027年部门收支预算总表`, `单位：万元`: the
//! rows above the table with a single text cell), then one table block of the rest, merged
//! regions resolved to the grid like .docx (the text at the region's first position, `None` at
//! the positions it covers). Numbers are written as the cell shows them: a float's binary noise
//! is rounded away (`12.299999999999999` → `12.3`), whole numbers have no `.0`.
//!
//! `.xlsx` sheets are read cell by cell, so a sheet whose used range is huge but sparse (one
//! cell at A1, one at XFD1048576) costs its cells, not its range; past [`MAX_CELLS`] grid
//! positions it is `too_large`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Reader};

use crate::error::ReadError;
use crate::model::{Block, BlockKind, Cell, Document, Format, Heading, Loc, Paragraph, Row, Table};

/// The most grid positions a workbook's sheets may span in all.
pub const MAX_CELLS: usize = 5_000_000;

/// A sheet's cells by (row, col), as text.
type Cells = BTreeMap<(u32, u32), String>;

/// Reads a workbook.
pub fn read_sheet(path: &Path, bytes: &[u8], format: Format) -> Result<Document, ReadError> {
    let corrupt = |why: String| ReadError::Corrupt {
        path: path.to_owned(),
        why,
    };
    let too_large = || ReadError::TooLarge {
        path: path.to_owned(),
        what: format!("its sheets span over {MAX_CELLS} cells"),
    };
    let mut sheets: Vec<(Cells, Vec<calamine::Dimensions>)> = Vec::new();
    let mut budget = MAX_CELLS;
    match format {
        Format::Xlsx => {
            let mut wb = calamine::Xlsx::new(Cursor::new(bytes))
                .map_err(|e| corrupt(format!("not a readable .xlsx workbook ({e})")))?;
            for name in wb.sheet_names() {
                let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                let mut cells = Cells::new();
                let mut reader = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| corrupt(format!("sheet {name}: {e}")))?;
                let (mut rows, mut cols) = (0u64, 0u64);
                while let Some(cell) = reader
                    .next_cell()
                    .map_err(|e| corrupt(format!("sheet {name}: {e}")))?
                {
                    let (r, c) = cell.get_position();
                    let Some(text) = text_of_ref(cell.get_value()) else {
                        continue;
                    };
                    rows = rows.max(u64::from(r) + 1);
                    cols = cols.max(u64::from(c) + 1);
                    if cells.len() >= budget || rows.saturating_mul(cols) > budget as u64 {
                        return Err(too_large());
                    }
                    cells.insert((r, c), text);
                }
                budget -= (rows * cols) as usize;
                sheets.push((cells, merged));
            }
        }
        _ => {
            let mut wb = calamine::Xls::new(Cursor::new(bytes))
                .map_err(|e| corrupt(format!("not a readable .xls workbook ({e})")))?;
            for name in wb.sheet_names() {
                let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| corrupt(format!("sheet {name}: {e}")))?;
                let (h, w) = range.get_size();
                if h.saturating_mul(w) > budget {
                    return Err(too_large());
                }
                budget -= h * w;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut cells = Cells::new();
                for (r, row) in range.rows().enumerate() {
                    for (c, v) in row.iter().enumerate() {
                        if let Some(text) = text_of(v) {
                            cells.insert((r0 + r as u32, c0 + c as u32), text);
                        }
                    }
                }
                sheets.push((cells, merged));
            }
        }
    }
    let mut blocks = Vec::new();
    for (cells, merged) in sheets {
        sheet_blocks(&cells, &merged, &mut blocks);
    }
    for (i, b) in blocks.iter_mut().enumerate() {
        b.loc.block = i;
    }
    // Title rows are headings when numbered, like any text.
    let texts: Vec<Option<&str>> = blocks.iter().map(Block::text).collect();
    let labels = super::lines::heading_labels(&texts);
    for (b, label) in blocks.iter_mut().zip(labels) {
        if let (Some(label), BlockKind::Paragraph(p)) = (label, &b.kind) {
            b.kind = BlockKind::Heading(Heading {
                text: p.text.clone(),
                label,
                outline_level: None,
            });
        }
    }
    Ok(Document {
        format,
        encoding: None,
        blocks,
        image_tables: 0,
    })
}

/// One sheet: its title rows as paragraphs, the rest as a table.
fn sheet_blocks(cells: &Cells, merged: &[calamine::Dimensions], out: &mut Vec<Block>) {
    if cells.is_empty() {
        return;
    }
    let rows = cells.keys().map(|k| k.0).max().unwrap_or(0) + 1;
    let cols = cells.keys().map(|k| k.1).max().unwrap_or(0) + 1;
    let first_row = cells.keys().map(|k| k.0).min().unwrap_or(0);
    let row_cells = |r: u32| cells.range((r, 0)..(r + 1, 0)).collect::<Vec<_>>();
    let loc = Loc {
        block: 0,
        line: None,
        page: None,
    };
    // Title rows: one text each, above the first row of several cells.
    let mut r = first_row;
    while r < rows {
        let here = row_cells(r);
        if here.len() > 1 {
            break;
        }
        if let Some((_, text)) = here.first() {
            out.push(Block {
                kind: BlockKind::Paragraph(Paragraph {
                    text: text.to_string(),
                }),
                loc,
            });
        }
        r += 1;
    }
    if r >= rows {
        return;
    }
    // The merged regions: origin → span, covered positions.
    let mut span: BTreeMap<(u32, u32), (u32, u32)> = BTreeMap::new();
    for d in merged {
        span.insert(d.start, (d.end.0 - d.start.0 + 1, d.end.1 - d.start.1 + 1));
    }
    let covered = |row: u32, col: u32| {
        merged.iter().any(|d| {
            (d.start.0..=d.end.0).contains(&row)
                && (d.start.1..=d.end.1).contains(&col)
                && (row, col) != d.start
        })
    };
    let mut table = Table { rows: Vec::new() };
    for row in r..rows {
        let cells_of_row: Vec<Option<Cell>> = (0..cols)
            .map(|col| {
                if covered(row, col) {
                    return None;
                }
                let (row_span, col_span) = span.get(&(row, col)).copied().unwrap_or((1, 1));
                Some(Cell {
                    text: cells.get(&(row, col)).cloned().unwrap_or_default(),
                    col_span,
                    row_span,
                    nested: Vec::new(),
                })
            })
            .collect();
        table.rows.push(Row {
            cells: cells_of_row,
            line: None,
            page: None,
            aligned: true,
        });
    }
    out.push(Block {
        kind: BlockKind::Table(table),
        loc,
    });
}

/// A cell's text as shown; `None` for an empty cell.
fn text_of(v: &Data) -> Option<String> {
    let t = match v {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => return None,
    };
    (!t.is_empty()).then_some(t)
}

fn text_of_ref(v: &DataRef) -> Option<String> {
    let t = match v {
        DataRef::Empty => return None,
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) => return None,
    };
    (!t.is_empty()).then_some(t)
}

/// A float as a spreadsheet shows it: at most 10 decimals (binary noise rounded away), no
/// trailing zeros, no `.0` on a whole number.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let s = format!("{f:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_shown() {
        assert_eq!(number(12.3), "12.3");
        assert_eq!(number(12.299999999999999), "12.3");
        assert_eq!(number(1511.89), "1511.89");
        assert_eq!(number(200.0), "200");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-0.0), "0");
    }
}
