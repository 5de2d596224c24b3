//! PostgreSQL: the tables of [`super::columns`] (TEXT, BIGINT, BOOLEAN), created if missing,
//! with the same indexes as SQLite. Each input file is one transaction: the rows an earlier
//! load of that file wrote (same `doc`, or an earlier document of the same path, or an `error`
//! of the path) are deleted and the new rows copied in (`COPY … FROM STDIN`, CSV), so a
//! nightly load can be rerun safely and a batch loaded twice leaves the same rows as once.
//!
//! Connections are made without TLS (a local server or a socket); the URL is libpq's
//! (`postgres://user:password@host/db`, `host=/var/run/postgresql user=…`).

use std::io::Write;

use postgres::{Client, NoTls};

use super::columns::{self, quote as q, Cell, Rows, TABLES};
use super::Sink;
use crate::record::Record;

/// Writes records into a PostgreSQL database.
pub struct PostgresSink {
    client: Client,
}

fn err(e: postgres::Error) -> std::io::Error {
    std::io::Error::other(e)
}

impl PostgresSink {
    /// Connects and creates the tables and indexes that are missing.
    pub fn connect(url: &str) -> std::io::Result<PostgresSink> {
        let mut client = Client::connect(url, NoTls).map_err(err)?;
        let ddl = columns::create_statements("BIGINT", "BOOLEAN");
        client.batch_execute(&ddl).map_err(err)?;
        Ok(PostgresSink { client })
    }
}

impl PostgresSink {
    /// The SHA-256 of every document already loaded (`--skip-unchanged`).
    pub fn loaded_digests(&mut self) -> std::io::Result<std::collections::HashSet<String>> {
        Ok(self
            .client
            .query("SELECT sha256 FROM documents", &[])
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}

/// One CSV field as PostgreSQL's `COPY … (FORMAT csv)` reads it: an unquoted empty field is
/// NULL, a quoted one is text (the empty string included).
fn push_field(out: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Null => {}
        Cell::Text(s) => {
            out.push(b'"');
            out.extend_from_slice(s.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        }
        Cell::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
    }
}

impl Sink for PostgresSink {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        self.write_rows(Rows::of(records))
    }

    fn takes_rows(&self) -> bool {
        true
    }

    fn write_rows(&mut self, rows: Rows) -> std::io::Result<()> {
        let Some((path, doc)) = &rows.replaces else {
            return Ok(());
        };
        let mut tx = self.client.transaction().map_err(err)?;
        let mut docs: Vec<String> = tx
            .query("SELECT doc FROM documents WHERE path = $1", &[path])
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        docs.extend(doc.clone());
        for t in TABLES.iter().filter(|t| t.record != "error") {
            tx.execute(
                &format!("DELETE FROM {} WHERE doc = ANY($1)", q(t.name)),
                &[&docs],
            )
            .map_err(err)?;
        }
        tx.execute("DELETE FROM errors WHERE path = $1", &[path])
            .map_err(err)?;
        // The rows of each table, as one COPY each.
        let mut buf = Vec::new();
        for (t, table) in rows.by_table() {
            if table.is_empty() {
                continue;
            }
            buf.clear();
            for cells in table {
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    push_field(&mut buf, c);
                }
                buf.push(b'\n');
            }
            let cols: Vec<String> = t.physical().iter().map(|p| q(&p.name)).collect();
            let mut w = tx
                .copy_in(&format!(
                    "COPY {} ({}) FROM STDIN WITH (FORMAT csv)",
                    q(t.name),
                    cols.join(", ")
                ))
                .map_err(err)?;
            w.write_all(&buf)?;
            w.finish().map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
