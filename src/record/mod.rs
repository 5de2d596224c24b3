//! The wire format of `../shared/SCHEMA.md`: one [`Record`] per JSON line.
//!
//! This is the only layer that knows JSON. Field order follows SCHEMA.md (`type`, `doc`
//! first), unknown values are `null` and never omitted, and `loc` carries `row`/`col` only on
//! table-derived records.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::check::{Check, Status};
use crate::error::ReadError;
use crate::extract::{Extraction, ReportKind};
use crate::model::{BlockKind, Document, Loc};
use crate::money::yuan_string;

mod fields;
mod types;

pub use fields::fields_markdown;
pub use types::*;

internal! {
/// The identity of an input file's bytes.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    /// The path as given on the command line or found in a given directory.
    pub path: String,
    /// The path's bytes in hex when they are not UTF-8 (`path` then shows them lossily).
    pub path_bytes: Option<String>,
    /// SHA-256 of the bytes, 64 hex digits.
    pub sha256: String,
    /// The size in bytes.
    pub bytes: u64,
}
}

impl Source {
    /// The identity of `bytes`, read from `path`.
    pub fn new(path: &Path, bytes: &[u8]) -> Source {
        let sha256 = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        Source {
            path: path.display().to_string(),
            path_bytes: path_bytes(path),
            sha256,
            bytes: bytes.len() as u64,
        }
    }

    /// The `doc` id: the first 16 hex digits of the SHA-256.
    pub fn doc_id(&self) -> String {
        self.sha256[..16].to_string()
    }
}

fn section_id(index: usize) -> String {
    format!("s{}", index + 1)
}

internal! {
/// The records of one successfully read document, `document` first. The document, the
/// extraction and the checks are taken, their text moved into the records: copying it was 2%
/// of a text batch's CPU (`String::clone` and the allocator, `perf`), and the tables' cells
/// 1.5% more.
fn build(source: &Source, mut doc: Document, mut ex: Extraction, checks: Vec<Check>) -> Vec<Record> {
    let id = source.doc_id();
    // Room for every record up front (the document first, the expenditure rows at most one
    // per line item): growing a vector of some 270 large records copied them nine times.
    let mut out = Vec::with_capacity(
        1 + ex.sections.len()
            + 2 * ex.line_items.len()
            + ex.figures.list.len()
            + ex.projects.len()
            + ex.projects.iter().map(|p| p.indicators.len()).sum::<usize>()
            + ex.tables.len()
            + checks.len(),
    );
    // The document first, its counts filled in once the rest are built: inserted at the
    // front afterwards, it moved every record after it (some 80 KB a report).
    let mut checks_by_status: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    for c in &checks {
        *checks_by_status.entry(c.status.as_str()).or_insert(0) += 1;
    }
    out.push(Record::Document(DocumentRecord {
        doc: id.clone(),
        path: source.path.clone(),
        path_bytes: source.path_bytes.clone(),
        format: doc.format.as_str().into(),
        encoding: doc.encoding.map(Cow::Borrowed),
        sha256: source.sha256.clone(),
        bytes: source.bytes,
        unit: ex.meta.unit.take(),
        year: ex.meta.year,
        report_kind: ex.meta.kind.map(|k| {
            match k {
                ReportKind::FinalAccounts => "final_accounts",
                ReportKind::Budget => "budget",
            }
            .into()
        }),
        title: ex.meta.title.take(),
        blocks: doc.blocks.len(),
        counts: Default::default(),
        checks_by_status: checks_by_status
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect(),
        unread_amounts: ex.unread.len(),
        image_tables: doc.image_tables,
        schema_version: SCHEMA_VERSION,
    }));
    // A section's words are taken, the rest left for `section_at`.
    for s in &mut ex.sections {
        out.push(Record::Section(SectionRecord {
            doc: id.clone(),
            id: section_id(s.index),
            parent: s.parent.map(section_id),
            level: s.level,
            label: std::mem::take(&mut s.label),
            title: std::mem::take(&mut s.title),
            key: s.key.map(Cow::Borrowed),
            loc: s.loc.into(),
        }));
    }
    let money = |d: rust_decimal::Decimal| yuan_string(d);
    let with_cell = |loc: Loc, cell: Option<(usize, usize)>| {
        let mut l = LocRecord::from(loc);
        if let Some((row, col)) = cell {
            l.row = Some(row);
            l.col = Some(col);
        }
        l
    };
    // Chosen from the line items before their words are taken.
    let expenditure = expenditure(&id, &ex, &with_cell);
    let line_items = std::mem::take(&mut ex.line_items);
    let figures = std::mem::take(&mut ex.figures.list);
    let projects = std::mem::take(&mut ex.projects);
    let tables = std::mem::take(&mut ex.tables);
    let section_of = |block: usize| ex.section_at(block).map(|s| section_id(s.index));
    for i in line_items {
        let part = |p: Option<crate::extract::line_items::Part>| {
            p.map(|p| PartRecord {
                code: p.code,
                name: p.name,
            })
        };
        out.push(Record::LineItem(LineItemRecord {
            doc: id.clone(),
            table: i.table.map(Cow::Borrowed),
            seq: i.seq,
            level: i.level.as_str().into(),
            code: i.code,
            name: i.name,
            class: part(i.class),
            kind: part(i.kind),
            item: part(i.item),
            year: i.year,
            amount: i.amount.map(money),
            budget: i.budget.map(money),
            change: i.change.as_ref().map(change_record),
            completion_pct: i.completion_pct.map(money),
            columns: i
                .columns
                .map(|c| c.into_iter().map(|(k, v)| (k, money(v))).collect()),
            raw: i.raw,
            section: section_of(i.loc.block),
            loc: with_cell(i.loc, i.cell),
        }));
    }
    out.extend(expenditure);
    for f in figures {
        out.push(Record::Figure(FigureRecord {
            doc: id.clone(),
            key: f.key.into(),
            value: money(f.value),
            unit: f.unit.as_str().into(),
            raw: f.raw,
            approx: f.approx,
            share_pct: f.share_pct.map(money),
            change: f.change.as_ref().map(change_record),
            code: f.code,
            name: f.name,
            section: section_of(f.loc.block),
            loc: f.loc.into(),
        }));
    }
    for (n, p) in projects.into_iter().enumerate() {
        let pid = format!("p{}", n + 1);
        out.push(Record::Project(ProjectRecord {
            doc: id.clone(),
            id: pid.clone(),
            name: p.name,
            unit: p.unit,
            department: p.department,
            budget: p.budget.map(money),
            executed: p.executed.map(money),
            budget_appropriation: p.budget_appropriation.map(money),
            executed_appropriation: p.executed_appropriation.map(money),
            goal: p.goal,
            goal_result: p.goal_result,
            section: section_of(p.loc.block),
            loc: with_cell(p.loc, Some(p.cell)),
        }));
        let value = |v: &Option<crate::extract::indicators::Value>| {
            v.as_ref().map(|v| ValueRecord {
                op: v.op.into(),
                value: money(v.value),
                unit: v.unit.map(Cow::Borrowed),
            })
        };
        for i in p.indicators {
            out.push(Record::Indicator(IndicatorRecord {
                doc: id.clone(),
                project: pid.clone(),
                level1: i.level1,
                level2: i.level2,
                name: i.name,
                target: i.target,
                actual: i.actual,
                target_value: value(&i.target_value),
                actual_value: value(&i.actual_value),
                loc: with_cell(i.loc, Some(i.cell)),
            }));
        }
    }
    for (n, t) in tables.into_iter().enumerate() {
        let BlockKind::Table(table) = &mut doc.blocks[t.block].kind else {
            continue;
        };
        // Each table block has one description: its cells move into the record.
        let table = std::mem::take(table);
        out.push(Record::Table(TableRecord {
            doc: id.clone(),
            id: format!("t{}", n + 1),
            title: t.title,
            key: t.key.map(Cow::Borrowed),
            unit: t.unit,
            n_cols: table.n_cols(),
            n_rows: table.rows.len(),
            rows: table.into_texts(),
            section: ex.section_at(t.block).map(|s| section_id(s.index)),
            loc: t.loc.into(),
        }));
    }
    for c in checks {
        out.push(Record::Check(CheckRecord {
            doc: id.clone(),
            rule: c.rule.into(),
            status: c.status.as_str().into(),
            expected: c.expected,
            actual: c.actual,
            detail: c.detail,
            loc: with_cell(c.loc, c.cell),
        }));
    }
    let mut counts = BTreeMap::new();
    for r in &out {
        *counts.entry(r.type_name()).or_insert(0) += 1;
    }
    if let Some(Record::Document(d)) = out.first_mut() {
        d.counts = counts.into_iter().map(|(k, v)| (k.into(), v)).collect();
    }
    out
}
}

#[cfg(feature = "internals")]
#[doc(hidden)]
/// One line of `juesuan dump --unread`: an amount nothing read, with its clause and place.
pub fn dump_unread(u: &crate::extract::unread::Unread) -> serde_json::Value {
    serde_json::json!({"loc": LocRecord::from(u.loc), "raw": u.raw, "context": u.context})
}

/// The `error` record of a file that could not be read.
pub(crate) fn error(path: &Path, source: Option<&Source>, err: &ReadError) -> Record {
    Record::Error(ErrorRecord {
        doc: source.map(Source::doc_id),
        path: path.display().to_string(),
        path_bytes: path_bytes(path),
        error: err.kind().into(),
        message: err.to_string(),
    })
}

#[cfg(feature = "internals")]
#[doc(hidden)]
/// One block of the document model as a JSON object, for `juesuan dump`.
pub fn dump_block(block: &crate::model::Block) -> serde_json::Value {
    use serde_json::json;
    let loc = serde_json::to_value(LocRecord::from(block.loc)).unwrap_or_default();
    match &block.kind {
        BlockKind::Heading(h) => json!({
            "kind": "heading", "loc": loc, "label": h.label, "outline_level": h.outline_level,
            "text": h.text,
        }),
        BlockKind::Paragraph(p) => json!({"kind": "paragraph", "loc": loc, "text": p.text}),
        BlockKind::Note(n) => json!({
            "kind": "note", "loc": loc, "note": match n.kind {
                crate::model::NoteKind::Footnote => "footnote",
                crate::model::NoteKind::Endnote => "endnote",
            },
            "id": n.id, "text": n.text,
        }),
        BlockKind::Table(t) => {
            json!({"kind": "table", "loc": loc, "n_rows": t.rows.len(), "n_cols": t.n_cols(), "rows": dump_rows(t)})
        }
    }
}

#[cfg(feature = "internals")]
/// A table's rows for `dump`: plain text for a simple cell, an object with spans and nested
/// tables otherwise, `null` for covered positions.
fn dump_rows(t: &crate::model::Table) -> Vec<Vec<serde_json::Value>> {
    use serde_json::json;
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| match c {
                    None => serde_json::Value::Null,
                    Some(c) if c.col_span == 1 && c.row_span == 1 && c.nested.is_empty() => {
                        json!(c.text)
                    }
                    Some(c) => json!({
                        "text": c.text, "col_span": c.col_span, "row_span": c.row_span,
                        "nested": c.nested.iter().map(dump_rows).collect::<Vec<_>>(),
                    }),
                })
                .collect()
        })
        .collect()
}

fn change_record(c: &crate::extract::change::Change) -> ChangeRecord {
    ChangeRecord {
        direction: c.direction.as_str().into(),
        amount: c.amount.map(crate::money::yuan_string),
        pct: c.pct.map(crate::money::yuan_string),
    }
}

/// The `expenditure` records of a document: for each code, the first line item (or 类 total)
/// of the most preferred source that states both the code and an amount.
fn expenditure(
    doc: &str,
    ex: &Extraction,
    with_cell: &dyn Fn(Loc, Option<(usize, usize)>) -> LocRecord,
) -> Vec<Record> {
    let rank = |source: &str| EXPENDITURE_SOURCES.iter().position(|s| *s == source);
    // code → (rank, level, name, amount, loc)
    let mut best: BTreeMap<
        String,
        (
            usize,
            &'static str,
            String,
            rust_decimal::Decimal,
            LocRecord,
        ),
    > = BTreeMap::new();
    let mut offer = |code: &str, r: usize, level, name: &str, amount, loc| {
        if best.get(code).is_none_or(|have| have.0 > r) {
            best.insert(code.to_string(), (r, level, name.to_string(), amount, loc));
        }
    };
    for i in &ex.line_items {
        let (Some(code), Some(amount), Some(r)) =
            (i.code.as_deref(), i.amount, i.table.and_then(rank))
        else {
            continue;
        };
        offer(
            code,
            r,
            i.level.as_str(),
            &i.name,
            amount,
            with_cell(i.loc, i.cell),
        );
    }
    if let Some(r) = rank("figure") {
        for f in ex.figures.all("general_budget.class") {
            if let Some(code) = f.code.as_deref() {
                let name = f.name.as_deref().unwrap_or_default();
                offer(code, r, "class", name, f.value, f.loc.into());
            }
        }
    }
    best.into_iter()
        .map(|(code, (r, level, name, amount, loc))| {
            Record::Expenditure(ExpenditureRecord {
                doc: doc.to_string(),
                class_code: code[..3.min(code.len())].to_string(),
                code,
                level: level.into(),
                name,
                amount: yuan_string(amount),
                source: EXPENDITURE_SOURCES[r].into(),
                loc,
            })
        })
        .collect()
}

/// The JSON Schema (draft 2020-12) of one output line, generated from the record types and
/// their doc comments (`juesuan schema`; committed as `schema/records.schema.json`).
///
/// It is strict: every field is required (a record never omits one; unknown values are
/// `null`), except `loc.page`, `loc.row` and `loc.col`, which appear only where they apply; and
/// no field beyond the listed ones is allowed.
pub fn json_schema() -> serde_json::Value {
    use serde_json::Value;
    let schema = schemars::schema_for!(Record);
    let mut v = serde_json::to_value(&schema).unwrap_or_default();
    let records: Vec<String> = v["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["$ref"].as_str())
        .filter_map(|r| r.rsplit('/').next())
        .map(str::to_string)
        .collect();
    if let Some(defs) = v["$defs"].as_object_mut() {
        for (name, def) in defs.iter_mut() {
            let Some(props) = def["properties"].as_object() else {
                continue;
            };
            let required: Vec<Value> = props
                .keys()
                .filter(|k| !(name == "LocRecord" && ["page", "row", "col"].contains(&k.as_str())))
                .map(|k| Value::String(k.clone()))
                .collect();
            def["required"] = Value::Array(required);
            if !records.contains(name) {
                def["additionalProperties"] = Value::Bool(false);
            }
        }
    }
    // A record is its type's fields plus `type`: nothing else (2020-12's
    // `unevaluatedProperties` sees the fields the `$ref` names).
    for variant in v["oneOf"].as_array_mut().into_iter().flatten() {
        variant["unevaluatedProperties"] = Value::Bool(false);
    }
    v
}

/// A path's bytes in lowercase hex when it is not UTF-8 (a GBK file name on Linux), so that the
/// original name can be recovered; `None` for a UTF-8 path.
pub(crate) fn path_bytes(path: &Path) -> Option<String> {
    if path.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().as_bytes().to_vec();
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
