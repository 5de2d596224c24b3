//! The body of a Word document, streamed: paragraphs and tables in order, text as Word shows
//! it. Kept: runs, tabs, breaks, `w:sym`, hyperlinks, smart tags, content controls, text boxes
//! (one branch of `mc:AlternateContent`), insertions and moves-to, field results. Dropped:
//! deletions and moves-from, field instructions (`PAGEREF _Toc… h`), hidden runs
//! (`w:vanish`), property-change records. Tables become a resolved grid: a merged cell's text
//! sits at its origin with its spans, covered positions are `None`, nested tables stay tables
//! inside their cell. Footnotes and endnotes follow the body as note blocks.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::numbering::Numbering;
use super::styles::Styles;
use super::{attr_with, val, val_parsed, Guard, Limits, PartError};
use crate::model::{Block, BlockKind, Cell, Heading, Loc, Note, NoteKind, Paragraph, Row, Table};
use crate::text::join_lines;

/// Elements whose whole subtree carries no shown text. A `match` rather than a list to
/// search: every element of the body is asked, and the compiler tests the length first.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"del"
            | b"moveFrom"
            | b"instrText"
            | b"delInstrText"
            | b"delText"
            | b"Fallback"
            | b"sdtPr"
            | b"rPrChange"
            | b"pPrChange"
            | b"sectPrChange"
            | b"tblPrChange"
            | b"trPrChange"
            | b"tcPrChange"
            | b"tblGridChange"
            | b"numberingChange"
            | b"fldData"
            | b"oMath"
            | b"oMathPara"
            | b"customXmlPr"
            | b"footnotePr"
            | b"endnotePr"
    )
}

#[derive(Default)]
struct Para {
    style: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    text: String,
    /// Text boxes and tables met inside this paragraph, emitted after it.
    queued: Vec<Item>,
}

enum Item {
    Para {
        label: Option<String>,
        text: String,
        outline: Option<u8>,
    },
    Table(Table),
}

#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    Restart,
    Continue,
}

#[derive(Default)]
struct CellB {
    parts: Vec<String>,
    span: u32,
    vmerge: Option<VMerge>,
    nested: Vec<Table>,
}

#[derive(Default)]
struct RowB {
    cells: Vec<CellB>,
    before: u32,
    after: u32,
}

#[derive(Default)]
struct TableB {
    rows: Vec<RowB>,
}

struct State<'a> {
    styles: &'a Styles,
    numbering: Numbering,
    limits: Limits,
    out: Vec<Item>,
    paras: Vec<Para>,
    tables: Vec<TableB>,
    /// The open elements that matter for context, one tag per open element.
    path: Vec<Tag>,
    skip: usize,
    in_text: bool,
    hidden: bool,
    /// Open fields: `true` while in the instruction part.
    fields: Vec<bool>,
    /// Grid positions of the tables finished so far, against `limits.grid_cells`.
    grid_cells: u64,
}

/// The elements whose children are read differently, as tags: no allocation per element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    PPr,
    NumPr,
    R,
    RPr,
    Tr,
    TrPr,
    Tc,
    TcPr,
    Other,
}

impl Tag {
    fn of(local: &[u8]) -> Tag {
        match local {
            b"p" => Tag::P,
            b"pPr" => Tag::PPr,
            b"numPr" => Tag::NumPr,
            b"r" => Tag::R,
            b"rPr" => Tag::RPr,
            b"tr" => Tag::Tr,
            b"trPr" => Tag::TrPr,
            b"tc" => Tag::Tc,
            b"tcPr" => Tag::TcPr,
            _ => Tag::Other,
        }
    }
}

fn parent_is(path: &[Tag], tags: &[Tag]) -> bool {
    path.len() >= tags.len() && &path[path.len() - tags.len()..] == tags
}

impl<'a> State<'a> {
    fn new(styles: &'a Styles, numbering: Numbering, limits: Limits) -> State<'a> {
        State {
            styles,
            numbering,
            limits,
            out: Vec::new(),
            paras: Vec::new(),
            tables: Vec::new(),
            path: Vec::new(),
            skip: 0,
            in_text: false,
            hidden: false,
            fields: Vec::new(),
            grid_cells: 0,
        }
    }

    fn push_text(&mut self, s: &str) {
        if self.hidden || self.fields.last() == Some(&true) {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), PartError> {
        let local = e.local_name();
        let name = local.as_ref();
        if skipped(name) {
            if !empty {
                self.skip = 1;
            }
            return Ok(());
        }
        match name {
            b"p" if !empty => self.paras.push(Para::default()),
            b"pStyle" if parent_is(&self.path, &[Tag::P, Tag::PPr]) => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = val(e);
                }
            }
            b"outlineLvl" if parent_is(&self.path, &[Tag::P, Tag::PPr]) => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = val_parsed(e).filter(|l: &u8| *l < 9);
                }
            }
            b"numId" if parent_is(&self.path, &[Tag::PPr, Tag::NumPr]) => {
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = val(e);
                }
            }
            b"ilvl" if parent_is(&self.path, &[Tag::PPr, Tag::NumPr]) => {
                if let Some(p) = self.paras.last_mut() {
                    p.ilvl = val_parsed(e);
                }
            }
            b"r" => self.hidden = false,
            b"vanish" if parent_is(&self.path, &[Tag::R, Tag::RPr]) => {
                let shown = |v: &str| matches!(v, "0" | "false" | "off");
                self.hidden = attr_with(e, b"val", shown).is_none_or(|shown| !shown);
            }
            b"t" => self.in_text = !empty,
            b"tab" if parent_is(&self.path, &[Tag::R]) => self.push_text("\t"),
            b"br" | b"cr" if parent_is(&self.path, &[Tag::R]) => self.push_text("\n"),
            b"noBreakHyphen" => self.push_text("-"),
            b"sym" => {
                let attrs = super::attributes(e);
                let c = attrs
                    .get("char")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    // Symbol-font characters live in the private use area: no meaningful text.
                    .filter(|c| !(0xE000..=0xF8FF).contains(c))
                    .and_then(char::from_u32);
                if let Some(c) = c {
                    self.push_text(&c.to_string());
                }
            }
            b"fldChar" => match super::attributes(e).get("fldCharType").map(String::as_str) {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"tbl" if !empty => self.tables.push(TableB::default()),
            b"tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(RowB::default());
                }
            }
            b"gridBefore" | b"gridAfter" if parent_is(&self.path, &[Tag::Tr, Tag::TrPr]) => {
                let n: u32 = val_parsed(e).unwrap_or(0);
                self.check_span(n)?;
                if let Some(r) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    if name == b"gridBefore" {
                        r.before = n;
                    } else {
                        r.after = n;
                    }
                }
            }
            b"tc" => {
                if let Some(r) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    r.cells.push(CellB {
                        span: 1,
                        ..CellB::default()
                    });
                }
            }
            b"gridSpan" if parent_is(&self.path, &[Tag::Tc, Tag::TcPr]) => {
                let n: u32 = val_parsed(e).unwrap_or(1);
                self.check_span(n)?;
                if let Some(c) = self.current_cell() {
                    c.span = n.max(1);
                }
            }
            b"vMerge" if parent_is(&self.path, &[Tag::Tc, Tag::TcPr]) => {
                let m = if attr_with(e, b"val", |v| v == "restart") == Some(true) {
                    VMerge::Restart
                } else {
                    VMerge::Continue
                };
                if let Some(c) = self.current_cell() {
                    c.vmerge = Some(m);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_span(&self, n: u32) -> Result<(), PartError> {
        if n > self.limits.grid_span {
            return Err(PartError::TooLarge(format!(
                "a table cell spans {n} grid columns, over the limit of {}",
                self.limits.grid_span
            )));
        }
        Ok(())
    }

    fn current_cell(&mut self) -> Option<&mut CellB> {
        self.tables.last_mut()?.rows.last_mut()?.cells.last_mut()
    }

    fn end(&mut self, name: &[u8]) -> Result<(), PartError> {
        match name {
            b"t" => self.in_text = false,
            b"p" => self.finish_paragraph(),
            b"tbl" => self.finish_table()?,
            _ => {}
        }
        Ok(())
    }

    fn finish_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let styles = self.styles;
        let style = p.style.as_deref().or_else(|| styles.default_paragraph());
        let outline = p
            .outline
            .or_else(|| style.and_then(|s| styles.outline_level(s)));
        let num = match (p.num_id, p.ilvl) {
            (Some(id), ilvl) => Some((id, ilvl.unwrap_or(0))),
            (None, Some(ilvl)) => style
                .and_then(|s| styles.numbering(s))
                .map(|(id, _)| (id, ilvl)),
            (None, None) => style.and_then(|s| styles.numbering(s)),
        };
        let text = clean(p.text);
        // Word numbers a paragraph whether or not it holds text.
        let label = num.and_then(|(id, ilvl)| self.numbering.next_label(&id, ilvl));
        if !text.is_empty() || label.is_some() {
            self.place(Item::Para {
                label,
                text,
                outline,
            });
        }
        for item in p.queued {
            self.place(item);
        }
    }

    /// Puts a finished paragraph or table where it belongs: into the paragraph holding its text
    /// box, the open table cell, or the body.
    fn place(&mut self, item: Item) {
        if let Some(outer) = self.paras.last_mut() {
            outer.queued.push(item);
            return;
        }
        if let Some(cell) = self.current_cell() {
            match item {
                Item::Para { label, text, .. } => cell.parts.push(match label {
                    Some(mut label) => {
                        label.push_str(&text);
                        label
                    }
                    None => text,
                }),
                Item::Table(t) => cell.nested.push(t),
            }
            return;
        }
        self.out.push(item);
    }

    fn finish_table(&mut self) -> Result<(), PartError> {
        let Some(t) = self.tables.pop() else {
            return Ok(());
        };
        // The grid is counted before it is laid out: the layout is what would take the memory.
        let positions: u64 = t
            .rows
            .iter()
            .map(|r| {
                u64::from(r.before)
                    + u64::from(r.after)
                    + r.cells
                        .iter()
                        .map(|c| u64::from(c.span.max(1)))
                        .sum::<u64>()
            })
            .fold(0u64, u64::saturating_add);
        self.grid_cells = self.grid_cells.saturating_add(positions);
        if self.grid_cells > self.limits.grid_cells {
            return Err(PartError::TooLarge(format!(
                "its tables hold more than {} cells",
                self.limits.grid_cells
            )));
        }
        let table = resolve_grid(t);
        self.place(Item::Table(table));
        Ok(())
    }
}

/// The text of a paragraph: breaks joined as in a cell, tabs and runs of spaces as one space.
/// Most paragraphs are one line with nothing to collapse: kept as they are, not copied.
fn clean(raw: String) -> String {
    if !raw.contains('\n') && !crate::text::collapses(&raw) {
        return raw;
    }
    join_lines(raw.split('\n'))
}

/// Lays the cells of a table out on its grid.
fn resolve_grid(t: TableB) -> Table {
    let mut rows: Vec<Row> = Vec::with_capacity(t.rows.len());
    // Per grid column: the origin (row, col) of an open vertical merge.
    let mut origin: Vec<Option<(usize, usize)>> = Vec::new();
    for (r, row) in t.rows.into_iter().enumerate() {
        let mut cells: Vec<Option<Cell>> = vec![None; row.before as usize];
        let mut col = row.before as usize;
        for cell in row.cells {
            let span = cell.span.max(1) as usize;
            if origin.len() < col + span {
                origin.resize(col + span, None);
            }
            match cell.vmerge {
                Some(VMerge::Continue) => {
                    if let Some((or, oc)) = origin[col] {
                        if let Some(Some(c)) = rows.get_mut(or).and_then(|x| x.cells.get_mut(oc)) {
                            c.row_span += 1;
                        }
                    }
                    cells.extend(std::iter::repeat_n(None, span));
                }
                m => {
                    cells.push(Some(Cell {
                        text: join_lines(cell.parts.iter().map(String::as_str)),
                        col_span: span as u32,
                        row_span: 1,
                        nested: cell.nested,
                    }));
                    cells.extend(std::iter::repeat_n(None, span - 1));
                    origin[col] = (m == Some(VMerge::Restart)).then_some((r, col));
                }
            }
            col += span;
        }
        cells.extend(std::iter::repeat_n(None, row.after as usize));
        rows.push(Row {
            cells,
            line: None,
            page: None,
            aligned: true,
        });
    }
    Table { rows }
}

/// Parses the main part and the notes into blocks.
pub(crate) fn parse(
    main: &str,
    footnotes: Option<&str>,
    endnotes: Option<&str>,
    styles: &Styles,
    numbering: Numbering,
    limits: Limits,
) -> Result<Vec<Block>, PartError> {
    let mut state = State::new(styles, numbering, limits);
    run(&mut state, main, "document.xml", |_, _, _| {})?;
    let mut items = std::mem::take(&mut state.out);
    // A paragraph's text as the reader shows it: its Word numbering label, then its text.
    for item in &mut items {
        if let Item::Para {
            label: Some(label),
            text,
            ..
        } = item
        {
            text.insert_str(0, label);
        }
    }
    // Numbered paragraphs in the Normal style are headings when they read like titles, as in
    // the text reader; paragraphs with an outline level are headings whatever they say.
    let texts: Vec<Option<&str>> = items
        .iter()
        .map(|i| match i {
            Item::Para {
                text,
                outline: None,
                ..
            } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let heading = crate::reader::lines::heading_labels(&texts);
    let mut blocks = Vec::new();
    for (item, h) in items.into_iter().zip(heading) {
        let kind = match item {
            Item::Table(t) => BlockKind::Table(t),
            Item::Para {
                label,
                text,
                outline: Some(level),
            } => BlockKind::Heading(Heading {
                text,
                label,
                outline_level: Some(level),
            }),
            Item::Para {
                label,
                text,
                outline: None,
            } => match h {
                Some(found) => BlockKind::Heading(Heading {
                    text,
                    label: label.or(found),
                    outline_level: None,
                }),
                None => BlockKind::Paragraph(Paragraph { text }),
            },
        };
        blocks.push(kind);
    }
    for (xml, kind, part) in [
        (footnotes, NoteKind::Footnote, "footnotes.xml"),
        (endnotes, NoteKind::Endnote, "endnotes.xml"),
    ] {
        let Some(xml) = xml else { continue };
        let mut state = State::new(styles, Numbering::default(), limits);
        // Where each note's paragraphs start in `state.out`, its id, and whether it is a real
        // note (not a separator).
        let mut bounds: Vec<(usize, String, bool)> = Vec::new();
        run(&mut state, xml, part, |state, id, normal| {
            bounds.push((state.out.len(), id, normal))
        })?;
        let items = std::mem::take(&mut state.out);
        for (k, (from, id, normal)) in bounds.iter().enumerate() {
            let to = bounds.get(k + 1).map_or(items.len(), |b| b.0);
            let text = join_lines(items[*from..to].iter().filter_map(|i| match i {
                Item::Para { text, .. } => Some(text.as_str()),
                Item::Table(_) => None,
            }));
            if *normal && !text.is_empty() {
                blocks.push(BlockKind::Note(Note {
                    kind,
                    id: id.clone(),
                    text,
                }));
            }
        }
    }
    Ok(blocks
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Block {
            kind,
            loc: Loc {
                block: i,
                line: None,
                page: None,
            },
        })
        .collect())
}

/// `bytes` as the slice of `text` it is, when it is one (an event's content borrowed from the
/// text the reader reads).
fn within<'t>(text: &'t str, bytes: &[u8]) -> Option<&'t str> {
    let start = (bytes.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    text.get(start..start.checked_add(bytes.len())?)
}

/// Drives the parser over one part, reporting the start of each footnote or endnote to
/// `on_note` with its id and whether it is a real note.
fn run(
    state: &mut State,
    xml: &str,
    part: &'static str,
    mut on_note: impl FnMut(&State, String, bool),
) -> Result<(), PartError> {
    let mut reader = Reader::from_str(xml);
    let mut guard = Guard::new(state.limits, part);
    loop {
        guard.event()?;
        let event = reader
            .read_event()
            .map_err(|e| PartError::Corrupt(format!("{part} is not well-formed XML: {e}")))?;
        match event {
            Event::Start(e) => {
                guard.enter()?;
                if state.skip > 0 {
                    state.skip += 1;
                    continue;
                }
                let tag = Tag::of(e.local_name().as_ref());
                if matches!(e.local_name().as_ref(), b"footnote" | b"endnote") {
                    let attrs = super::attributes(&e);
                    let normal = attrs.get("type").is_none_or(|t| t == "normal");
                    on_note(state, attrs.get("id").cloned().unwrap_or_default(), normal);
                }
                state.start(&e, false)?;
                if state.skip == 0 {
                    state.path.push(tag);
                }
            }
            Event::Empty(e) if state.skip == 0 => state.start(&e, true)?,
            Event::End(e) => {
                guard.leave();
                if state.skip > 0 {
                    state.skip -= 1;
                    continue;
                }
                state.path.pop();
                state.end(e.local_name().as_ref())?;
            }
            Event::Text(t) if state.skip == 0 && state.in_text => {
                let bad = |e: &dyn std::fmt::Display| {
                    PartError::Corrupt(format!("{part} holds a bad character reference: {e}"))
                };
                // The text is a slice of the part, which is text already: taken as the slice
                // it is, it is unescaped without `BytesText::unescape` validating its UTF-8
                // again (6% of the reader's instructions).
                let s = match within(xml, &t) {
                    Some(raw) => quick_xml::escape::unescape(raw).map_err(|e| bad(&e))?,
                    None => t.unescape().map_err(|e| bad(&e))?,
                };
                state.push_text(&s);
            }
            Event::CData(t) if state.skip == 0 && state.in_text => {
                state.push_text(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements in a truncated part: keep what was read.
    while !state.paras.is_empty() {
        state.finish_paragraph();
    }
    while !state.tables.is_empty() {
        state.finish_table()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn within_finds_a_slice_of_the_text_and_nothing_else() {
        let xml = "<w:t>收入&amp;支出</w:t>";
        let t = &xml.as_bytes()[5..22];
        assert_eq!(within(xml, t), Some("收入&amp;支出"));
        // The same bytes elsewhere (an unescaped copy the parser owns) are not the text's.
        let copy = t.to_vec();
        assert_eq!(within(xml, &copy), None);
        // Not on character boundaries: not a slice of the text.
        assert_eq!(within(xml, &xml.as_bytes()[6..9]), None);
    }
}
