//! The tabular form of the records, shared by the CSV, SQLite, Parquet and PostgreSQL sinks:
//! one table per record type, a fixed list of typed columns each, nested objects flattened
//! (`class.code` → `class_code`, `loc.block` → `loc_block`), and every row carrying its
//! document's `unit`, `year` and `report_kind` (`doc_unit`, `doc_year`, `doc_report_kind`) so
//! the common questions need no join.
//!
//! Money stays exact: the decimal string of the JSON record (yuan) in a text column, plus an
//! integer column in fen (`amount_fen`) for arithmetic, `null` when the amount is not a whole
//! number of fen or does not fit.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::record::Record;

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text, including codes (`"2010301"`) and exact decimals (percentages).
    Text,
    /// A whole number.
    Int,
    /// `true`/`false`.
    Bool,
    /// Yuan as an exact decimal string; a second column `<name>_fen` holds the integer fen.
    Money,
    /// A nested array or map (`rows`, `columns`, `counts`) as JSON text.
    Json,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
}

/// One table: its name and the columns of the record type it holds, in order. The physical
/// columns (what a CSV header or SQL table has) are [`TableSpec::physical`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    /// The table's name (`line_items`).
    pub name: &'static str,
    /// The record `type` it holds (`line_item`).
    pub record: &'static str,
    pub columns: &'static [Column],
    /// Columns worth an index (besides `doc`).
    pub indexed: &'static [&'static str],
}

/// A physical column: name and storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Physical {
    pub name: String,
    pub ty: PhysicalType,
}

/// Storage of a physical column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhysicalType {
    Text,
    Int,
    Bool,
}

impl TableSpec {
    /// The columns as stored: a money column is followed by its `_fen` integer.
    pub fn physical(&self) -> Vec<Physical> {
        let mut out = Vec::new();
        for c in self.columns {
            let ty = match c.ty {
                ColType::Text | ColType::Json | ColType::Money => PhysicalType::Text,
                ColType::Int => PhysicalType::Int,
                ColType::Bool => PhysicalType::Bool,
            };
            out.push(Physical {
                name: c.name.to_string(),
                ty,
            });
            if c.ty == ColType::Money {
                out.push(Physical {
                    name: format!("{}_fen", c.name),
                    ty: PhysicalType::Int,
                });
            }
        }
        out
    }
}

/// A value of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
}

impl Cell {
    /// The text a CSV file holds: empty for null, `true`/`false`, digits.
    pub fn to_csv(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Null => "".into(),
            Cell::Text(s) => s.as_str().into(),
            Cell::Int(i) => i.to_string().into(),
            Cell::Bool(b) => if *b { "true" } else { "false" }.into(),
        }
    }
}

const fn c(name: &'static str, ty: ColType) -> Column {
    Column { name, ty }
}

use ColType::{Bool, Int, Json, Money, Text};

/// `doc_unit`, `doc_year`, `doc_report_kind`: the document's, on every row.
const DOC_META: [Column; 3] = [
    c("doc_unit", Text),
    c("doc_year", Int),
    c("doc_report_kind", Text),
];

const LOC: [Column; 5] = [
    c("loc_block", Int),
    c("loc_line", Int),
    c("loc_page", Int),
    c("loc_row", Int),
    c("loc_col", Int),
];

macro_rules! columns {
    (meta; $($col:expr),* $(,)?; loc) => {
        &[
            $($col,)*
            DOC_META[0], DOC_META[1], DOC_META[2],
            LOC[0], LOC[1], LOC[2], LOC[3], LOC[4],
        ]
    };
    (meta; $($col:expr),* $(,)?) => {
        &[$($col,)* DOC_META[0], DOC_META[1], DOC_META[2]]
    };
}

/// Every table, in the order of SCHEMA.md's record types.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "documents",
        record: "document",
        columns: &[
            c("doc", Text),
            c("path", Text),
            c("path_bytes", Text),
            c("format", Text),
            c("encoding", Text),
            c("sha256", Text),
            c("bytes", Int),
            c("unit", Text),
            c("year", Int),
            c("report_kind", Text),
            c("title", Text),
            c("blocks", Int),
            c("counts", Json),
            c("checks_by_status", Json),
            c("unread_amounts", Int),
            c("image_tables", Int),
            c("schema_version", Int),
        ],
        indexed: &["path", "sha256"],
    },
    TableSpec {
        name: "sections",
        record: "section",
        columns: columns!(meta;
            c("doc", Text),
            c("id", Text),
            c("parent", Text),
            c("level", Int),
            c("label", Text),
            c("title", Text),
            c("key", Text);
            loc
        ),
        indexed: &["key"],
    },
    TableSpec {
        name: "line_items",
        record: "line_item",
        columns: columns!(meta;
            c("doc", Text),
            c("table", Text),
            c("seq", Int),
            c("level", Text),
            c("code", Text),
            c("name", Text),
            c("class_code", Text),
            c("class_name", Text),
            c("kind_code", Text),
            c("kind_name", Text),
            c("item_code", Text),
            c("item_name", Text),
            c("year", Int),
            c("amount", Money),
            c("budget", Money),
            c("change_direction", Text),
            c("change_amount", Money),
            c("change_pct", Text),
            c("completion_pct", Text),
            c("columns", Json),
            c("raw", Text),
            c("section", Text);
            loc
        ),
        indexed: &["code"],
    },
    TableSpec {
        name: "figures",
        record: "figure",
        columns: columns!(meta;
            c("doc", Text),
            c("key", Text),
            c("value", Money),
            c("unit", Text),
            c("raw", Text),
            c("approx", Bool),
            c("share_pct", Text),
            c("change_direction", Text),
            c("change_amount", Money),
            c("change_pct", Text),
            c("code", Text),
            c("name", Text),
            c("section", Text);
            loc
        ),
        indexed: &["key", "code"],
    },
    TableSpec {
        name: "projects",
        record: "project",
        columns: columns!(meta;
            c("doc", Text),
            c("id", Text),
            c("name", Text),
            c("unit", Text),
            c("department", Text),
            c("budget", Money),
            c("executed", Money),
            c("budget_appropriation", Money),
            c("executed_appropriation", Money),
            c("goal", Text),
            c("goal_result", Text),
            c("section", Text);
            loc
        ),
        indexed: &[],
    },
    TableSpec {
        name: "indicators",
        record: "indicator",
        columns: columns!(meta;
            c("doc", Text),
            c("project", Text),
            c("level1", Text),
            c("level2", Text),
            c("name", Text),
            c("target", Text),
            c("actual", Text),
            c("target_value_op", Text),
            c("target_value_value", Text),
            c("target_value_unit", Text),
            c("actual_value_op", Text),
            c("actual_value_value", Text),
            c("actual_value_unit", Text);
            loc
        ),
        indexed: &[],
    },
    TableSpec {
        name: "tables",
        record: "table",
        columns: columns!(meta;
            c("doc", Text),
            c("id", Text),
            c("title", Text),
            c("key", Text),
            c("unit", Text),
            c("rows", Json),
            c("n_rows", Int),
            c("n_cols", Int),
            c("section", Text);
            loc
        ),
        indexed: &["key"],
    },
    TableSpec {
        name: "checks",
        record: "check",
        columns: columns!(meta;
            c("doc", Text),
            c("rule", Text),
            c("status", Text),
            c("expected", Text),
            c("actual", Text),
            c("detail", Text);
            loc
        ),
        indexed: &["rule", "status"],
    },
    TableSpec {
        name: "expenditure",
        record: "expenditure",
        columns: columns!(meta;
            c("doc", Text),
            c("code", Text),
            c("level", Text),
            c("name", Text),
            c("class_code", Text),
            c("amount", Money),
            c("source", Text);
            loc
        ),
        indexed: &["code", "class_code"],
    },
    TableSpec {
        name: "errors",
        record: "error",
        columns: &[
            c("doc", Text),
            c("path", Text),
            c("path_bytes", Text),
            c("error", Text),
            c("message", Text),
        ],
        indexed: &["path"],
    },
];

/// `"name"`: an SQL identifier, quoted (`table`, `key`, `level` are column names here).
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The statements that create every table and index where missing, for an SQL database
/// whose whole-number and flag types are `int` and `boolean`.
pub(crate) fn create_statements(int: &str, boolean: &str) -> String {
    let mut ddl = String::new();
    for t in TABLES {
        let cols: Vec<String> = t
            .physical()
            .iter()
            .map(|p| {
                let ty = match p.ty {
                    PhysicalType::Text => "TEXT",
                    PhysicalType::Int => int,
                    PhysicalType::Bool => boolean,
                };
                format!("{} {ty}", quote(&p.name))
            })
            .collect();
        ddl.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {} ({});\n",
            quote(t.name),
            cols.join(", ")
        ));
        for c in std::iter::once(&"doc").chain(t.indexed) {
            ddl.push_str(&format!(
                "CREATE INDEX IF NOT EXISTS {} ON {} ({});\n",
                quote(&format!("{}_{}", t.name, c)),
                quote(t.name),
                quote(c)
            ));
        }
    }
    ddl
}

/// The table of a record type.
pub fn spec_of(record_type: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.record == record_type)
}

/// The document's `unit`, `year`, `report_kind` as cells, for the rows of its records.
#[derive(Debug, Clone, PartialEq)]
struct DocMeta {
    unit: Cell,
    year: Cell,
    report_kind: Cell,
}

impl DocMeta {
    /// The meta of a file's records: from its `document` record, nulls for an error.
    fn of(records: &[Record]) -> DocMeta {
        match records.first() {
            Some(Record::Document(d)) => DocMeta {
                unit: d.unit.clone().map_or(Cell::Null, Cell::Text),
                year: d.year.map_or(Cell::Null, |y| Cell::Int(y.into())),
                report_kind: d
                    .report_kind
                    .as_deref()
                    .map_or(Cell::Null, |k| Cell::Text(k.into())),
            },
            _ => DocMeta {
                unit: Cell::Null,
                year: Cell::Null,
                report_kind: Cell::Null,
            },
        }
    }
}

/// Where each column of a table sits among its physical columns: the flattened field name →
/// (position, type), computed once per table.
struct Layout {
    slots: HashMap<&'static str, (usize, ColType)>,
    width: usize,
    meta: [Option<usize>; 3],
}

static LAYOUTS: LazyLock<Vec<Layout>> = LazyLock::new(|| {
    TABLES
        .iter()
        .map(|t| {
            let mut slots = HashMap::new();
            let mut meta = [None; 3];
            let mut pos = 0;
            for c in t.columns {
                match c.name {
                    "doc_unit" => meta[0] = Some(pos),
                    "doc_year" => meta[1] = Some(pos),
                    "doc_report_kind" => meta[2] = Some(pos),
                    name => {
                        slots.insert(name, (pos, c.ty));
                    }
                }
                pos += if c.ty == ColType::Money { 2 } else { 1 };
            }
            Layout {
                slots,
                width: pos,
                meta,
            }
        })
        .collect()
});

/// A record as a row of its table: one cell per physical column, in order.
/// The position of its table in [`TABLES`], and the cells.
fn row(record: &Record, meta: &DocMeta) -> (usize, Vec<Cell>) {
    let k = TABLES
        .iter()
        .position(|t| t.record == record.type_name())
        .expect("every record type has a table");
    let layout = &LAYOUTS[k];
    let mut cells = vec![Cell::Null; layout.width];
    // A record always serializes (its fields are strings, numbers and maps of them).
    let _ = super::cells::fill(record, layout, money_is_yuan(record), &mut cells);
    for (slot, value) in layout
        .meta
        .iter()
        .zip([&meta.unit, &meta.year, &meta.report_kind])
    {
        if let Some(p) = slot {
            cells[*p] = value.clone();
        }
    }
    (k, cells)
}

/// One file's records as rows of their tables, grouped by table: what the tabular
/// sinks write. A batch on more than one worker makes them on the worker that made the
/// records ([`super::Sink::takes_rows`]), so the writing thread, which every worker waits on,
/// only inserts or writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The `path` and `doc` of the file's `document` or `error` record (the first record),
    /// whose earlier rows a database sink replaces; `None` when the file has neither.
    pub replaces: Option<(String, Option<String>)>,
    /// The rows of each table of [`TABLES`], by position, in the order of their records.
    pub tables: Vec<Vec<Vec<Cell>>>,
}

impl Rows {
    /// The rows of one file's records.
    pub fn of(records: &[Record]) -> Rows {
        let replaces = match records.first() {
            Some(Record::Document(d)) => Some((d.path.clone(), Some(d.doc.clone()))),
            Some(Record::Error(e)) => Some((e.path.clone(), e.doc.clone())),
            _ => None,
        };
        let meta = DocMeta::of(records);
        let mut tables = vec![Vec::new(); TABLES.len()];
        for r in records {
            let (k, cells) = row(r, &meta);
            tables[k].push(cells);
        }
        Rows { replaces, tables }
    }

    /// Each table with its rows, in the order of [`TABLES`].
    pub fn by_table(&self) -> impl Iterator<Item = (&'static TableSpec, &[Vec<Cell>])> + '_ {
        TABLES.iter().zip(self.tables.iter().map(Vec::as_slice))
    }
}

impl super::cells::Slots for Layout {
    fn slot(&self, key: &str) -> Option<(usize, ColType)> {
        self.slots.get(key).copied()
    }
}

/// Whether a record's money columns hold yuan: a figure's `value` only when its `unit` is
/// `yuan` (a share or a count has no fen).
fn money_is_yuan(r: &Record) -> bool {
    match r {
        Record::Figure(f) => f.unit == "yuan",
        _ => true,
    }
}

/// Yuan (a decimal string) in whole fen, when exact and in range.
pub fn fen_of(yuan: &str) -> Option<i64> {
    let d: Decimal = yuan.parse().ok()?;
    let fen = d.checked_mul(Decimal::ONE_HUNDRED)?;
    (fen.fract().is_zero()).then(|| fen.to_i64()).flatten()
}

/// Flattens nested objects into `parent_child` keys, except the columns stored as JSON.
fn flatten(prefix: &str, o: Map<String, Value>, spec: &TableSpec, out: &mut Map<String, Value>) {
    for (k, v) in o {
        let key = if prefix.is_empty() {
            k
        } else {
            format!("{prefix}_{k}")
        };
        let as_json = spec
            .columns
            .iter()
            .any(|c| c.name == key && c.ty == ColType::Json);
        match v {
            Value::Object(inner) if !as_json => flatten(&key, inner, spec, out),
            v => {
                out.insert(key, v);
            }
        }
    }
}

/// The flattened keys of a record that no column of its table holds (`type` aside): empty
/// unless a field was added to a record without a column. Used by the tests.
pub fn unmapped_keys(record: &Record) -> Vec<String> {
    let Some(spec) = spec_of(record.type_name()) else {
        return vec![record.type_name().to_string()];
    };
    let mut flat = Map::new();
    if let Ok(Value::Object(o)) = serde_json::to_value(record) {
        flatten("", o, spec, &mut flat);
    }
    let column = |k: &str| spec.columns.iter().any(|c| c.name == k);
    // A null object (`change: null`) has its fields' columns (`change_direction`, …).
    let parent = |k: &str| {
        spec.columns
            .iter()
            .any(|c| c.name.strip_prefix(k).is_some_and(|r| r.starts_with('_')))
    };
    flat.iter()
        .filter(|(k, v)| *k != "type" && !column(k) && !(v.is_null() && parent(k)))
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_is_exact_or_null() {
        assert_eq!(fen_of("1189700"), Some(118_970_000));
        assert_eq!(fen_of("0.3"), Some(30));
        assert_eq!(fen_of("0.005"), None);
        assert_eq!(fen_of("not money"), None);
    }

    #[test]
    fn every_table_has_doc_first_and_unique_columns() {
        for t in TABLES {
            assert_eq!(t.columns[0].name, "doc", "{}", t.name);
            let names: Vec<String> = t.physical().into_iter().map(|p| p.name).collect();
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{}", t.name);
            for i in t.indexed {
                assert!(names.iter().any(|n| n == i), "{}: {i}", t.name);
            }
        }
    }
}
