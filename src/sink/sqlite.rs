//! SQLite: one table per record type ([`super::columns`]) with typed columns: money as exact
//! TEXT plus an INTEGER in fen, whole numbers as INTEGER, flags as INTEGER 0/1, nested values
//! as JSON text (usable with SQLite's `json_extract`). Indexes on `doc` and the columns people
//! filter on (`code`, `key`, `rule`, …).
//!
//! One transaction per input file. Loading a file again replaces its rows: before a
//! document's records are inserted, every row of that document (same `doc`) and of any earlier
//! document read from the same path is deleted, and so is an earlier `error` row of the path.
//! A batch loaded twice leaves the same rows as once.

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::{params_from_iter, Connection, ToSql};

use super::columns::{self, quote as q, Cell, Rows, TABLES};
use super::Sink;
use crate::record::Record;

/// Writes records into a SQLite database file (created if missing).
pub struct SqliteSink {
    conn: Connection,
}

fn err(e: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(e)
}

impl SqliteSink {
    /// Opens (or creates) the database and creates the tables and indexes that are missing.
    pub fn open(path: &Path) -> std::io::Result<SqliteSink> {
        let conn = Connection::open(path).map_err(err)?;
        // Each file is a transaction of its own, and SQLite's default checkpoint (every 1,000
        // pages of WAL, about every 15 reports) copied the same index pages back into the
        // database again and again, with an fsync each time: a third of the writing thread's
        // time. Every 10,000 pages (a WAL of up to 40 MB, emptied at the end) a load of 1,000
        // reports takes 0.85x the time, of 300 reports 0.69x.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA wal_autocheckpoint = 10000;",
        )
        .map_err(err)?;
        conn.execute_batch(&columns::create_statements("INTEGER", "INTEGER"))
            .map_err(err)?;
        Ok(SqliteSink { conn })
    }
}

impl SqliteSink {
    /// The SHA-256 of every document already loaded (`--skip-unchanged`).
    pub fn loaded_digests(&self) -> std::io::Result<std::collections::HashSet<String>> {
        let mut st = self
            .conn
            .prepare("SELECT sha256 FROM documents")
            .map_err(err)?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Cell::Null => ToSqlOutput::Owned(Value::Null),
            Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            Cell::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
        })
    }
}

impl Sink for SqliteSink {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        self.write_rows(Rows::of(records))
    }

    fn takes_rows(&self) -> bool {
        true
    }

    fn write_rows(&mut self, rows: Rows) -> std::io::Result<()> {
        // Replace what an earlier load of this file wrote.
        let Some((path, doc)) = &rows.replaces else {
            return Ok(());
        };
        let tx = self.conn.transaction().map_err(err)?;
        let mut docs: Vec<String> = {
            let mut st = tx
                .prepare_cached("SELECT doc FROM documents WHERE path = ?1")
                .map_err(err)?;
            let rows = st
                .query_map([path], |r| r.get::<_, String>(0))
                .map_err(err)?;
            rows.collect::<Result<_, _>>().map_err(err)?
        };
        docs.extend(doc.clone());
        for d in &docs {
            for t in TABLES.iter().filter(|t| t.record != "error") {
                tx.prepare_cached(&format!("DELETE FROM {} WHERE doc = ?1", q(t.name)))
                    .and_then(|mut st| st.execute([d]))
                    .map_err(err)?;
            }
        }
        tx.prepare_cached("DELETE FROM errors WHERE path = ?1")
            .and_then(|mut st| st.execute([path]))
            .map_err(err)?;
        for ((_, table), insert) in rows.by_table().zip(INSERTS.iter()) {
            if table.is_empty() {
                continue;
            }
            let mut st = tx.prepare_cached(insert).map_err(err)?;
            for cells in table {
                st.execute(params_from_iter(cells.iter())).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(err)
    }
}

/// The INSERT statement of each table of [`TABLES`], built once.
static INSERTS: LazyLock<Vec<String>> = LazyLock::new(|| TABLES.iter().map(insert_sql).collect());

fn insert_sql(spec: &columns::TableSpec) -> String {
    let cols = spec.physical();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        q(spec.name),
        cols.iter()
            .map(|c| q(&c.name))
            .collect::<Vec<_>>()
            .join(", "),
        (1..=cols.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database is in WAL mode, checkpointed every 10,000 pages; a file's rows are in the
    /// WAL until the sink is finished, and the WAL is emptied then.
    #[test]
    fn a_load_checkpoints_rarely_and_leaves_no_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut sink = SqliteSink::open(&path).unwrap();
        let pragma = |sink: &SqliteSink, name: &str| -> String {
            sink.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| format!("{v:?}"))
                .unwrap()
        };
        assert_eq!(pragma(&sink, "journal_mode"), r#"Text("wal")"#);
        assert_eq!(pragma(&sink, "wal_autocheckpoint"), "Integer(10000)");
        let records = crate::pipeline::process(
            Path::new("samples/qinghe-2027-budget.txt"),
            &crate::ReadConfig::default(),
        );
        sink.write_file(&records).unwrap();
        let wal_len = || std::fs::metadata(dir.path().join("r.db-wal")).map_or(0, |m| m.len());
        assert!(wal_len() > 0);
        sink.finish().unwrap();
        assert_eq!(wal_len(), 0);
        let (unit, year): (String, i64) = sink
            .conn
            .query_row("SELECT unit, year FROM documents", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((unit.as_str(), year), ("青禾区档案馆", 2027));
    }
}
