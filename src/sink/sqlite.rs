//! SQLite: one table per record type ([`super::columns`]) with typed columns: money as exact
//! TEXT plus an INTEGER in fen, whole numbers as INTEGER, flags as INTEGER 0/1, nested values
//! as JSON text (usable with SQLite's `json_extract`). Indexes on `doc` and the columns people
//! filter on (`code`, `key`, `rule`, …).
//!
//! Loading a file again replaces its rows: before a document's records are inserted, every
//! row of that document (same `doc`) and of any earlier document read from the same path is
//! deleted, and so is an earlier `error` row of the path. A batch loaded twice leaves the same
//! rows as once.
//!
//! A file's rows are written whole or not at all (a savepoint each), and the files are
//! committed in groups: every [`GROUP_FILES`] files or [`GROUP_TIME`], whichever comes first,
//! and at the end. A killed load keeps every group committed before it, each file whole; a
//! load that stops on an error commits the files before the one that failed.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use rusqlite::{params_from_iter, Connection, ToSql};

use super::columns::{self, quote as q, Cell, Rows, TABLES};
use super::Sink;
use crate::record::Record;

/// Files committed together, at most. A commit writes every page the group changed to the
/// WAL once: committing each file on its own wrote the same index pages again for every file,
/// the largest cost of a load.
pub const GROUP_FILES: usize = 100;

/// The longest a group stays open while files arrive, so that a slow batch (PDFs) still
/// commits about every second.
pub const GROUP_TIME: Duration = Duration::from_secs(1);

/// Writes records into a SQLite database file (created if missing).
pub struct SqliteSink {
    conn: Connection,
    /// The open group: files written in it and when it began. `None`: no transaction is open.
    group: Option<(usize, Instant)>,
    /// [`GROUP_TIME`], or another in the tests.
    group_time: Duration,
}

fn err(e: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(e)
}

impl SqliteSink {
    /// Opens (or creates) the database and creates the tables and indexes that are missing.
    pub fn open(path: &Path) -> std::io::Result<SqliteSink> {
        let conn = Connection::open(path).map_err(err)?;
        // SQLite's default checkpoint (every 1,000 pages of WAL, about every 15 reports when
        // each was committed on its own) copied the same index pages back into the database
        // again and again, with an fsync each time: a third of the writing thread's time.
        // Every 10,000 pages (a WAL of up to 40 MB, emptied at the end) a load of 1,000
        // reports took 0.85x the time, of 300 reports 0.69x.
        // Each file's savepoint keeps the pages it changes first in a sub-journal, a
        // temporary file by default: 13% of the writing thread went to writing it. In memory
        // it holds one file's pages at most (a few hundred kB); a load of 1,000 reports takes
        // 0.89x the time.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA wal_autocheckpoint = 10000; PRAGMA temp_store = MEMORY;",
        )
        .map_err(err)?;
        conn.execute_batch(&columns::create_statements("INTEGER", "INTEGER"))
            .map_err(err)?;
        Ok(SqliteSink {
            conn,
            group: None,
            group_time: GROUP_TIME,
        })
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
        let Some((path, doc)) = &rows.replaces else {
            return Ok(());
        };
        if self.group.is_none() {
            // The write lock at once, waiting for it as long as the busy timeout allows: a
            // deferred transaction that has read cannot take it once another load has
            // committed since, and fails at once ("database is locked").
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(err)?;
            self.group = Some((0, Instant::now()));
        }
        self.run("SAVEPOINT file")?;
        if let Err(e) = self.replace(path, doc.as_deref(), &rows) {
            // The files before this one stay: they are whole.
            let _ = self.run("ROLLBACK TO file");
            let _ = self.run("RELEASE file");
            let _ = self.commit();
            return Err(e);
        }
        self.run("RELEASE file")?;
        if let Some((files, began)) = self.group.as_mut() {
            *files += 1;
            if *files >= GROUP_FILES || began.elapsed() >= self.group_time {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// The batch has waited a while for its next file: the group is committed, so that the
    /// write lock is not held while a slow file (a large PDF) is read, and another load can
    /// write meanwhile.
    fn pause(&mut self) -> std::io::Result<()> {
        self.commit()
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.commit()?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(err)
    }
}

impl SqliteSink {
    /// Runs one statement without parameters, prepared once.
    fn run(&self, sql: &str) -> std::io::Result<()> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut st| st.execute([]))
            .map(drop)
            .map_err(err)
    }

    /// Commits the open group, if any.
    fn commit(&mut self) -> std::io::Result<()> {
        if self.group.take().is_none() {
            return Ok(());
        }
        let done = self.run("COMMIT");
        if done.is_err() && !self.conn.is_autocommit() {
            // A COMMIT that fails (a full disk, a deferred constraint) can leave the group's
            // transaction open, and the next group's BEGIN would fail on it. The group is
            // rolled back instead: its files are not in the database, the error says so and
            // stops the batch, and the sink can begin again.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        done
    }

    /// Deletes what an earlier load of the file wrote and inserts its rows.
    fn replace(&self, path: &str, doc: Option<&str>, rows: &Rows) -> std::io::Result<()> {
        let mut docs: Vec<String> = {
            let mut st = self
                .conn
                .prepare_cached("SELECT doc FROM documents WHERE path = ?1")
                .map_err(err)?;
            let found = st
                .query_map([path], |r| r.get::<_, String>(0))
                .map_err(err)?;
            found.collect::<Result<_, _>>().map_err(err)?
        };
        docs.extend(doc.map(str::to_string));
        for d in &docs {
            for t in TABLES.iter().filter(|t| t.record != "error") {
                self.conn
                    .prepare_cached(&format!("DELETE FROM {} WHERE doc = ?1", q(t.name)))
                    .and_then(|mut st| st.execute([d]))
                    .map_err(err)?;
            }
        }
        self.conn
            .prepare_cached("DELETE FROM errors WHERE path = ?1")
            .and_then(|mut st| st.execute([path]))
            .map_err(err)?;
        for ((_, table), insert) in rows.by_table().zip(INSERTS.iter()) {
            if table.is_empty() {
                continue;
            }
            let mut st = self.conn.prepare_cached(insert).map_err(err)?;
            for cells in table {
                st.execute(params_from_iter(cells.iter())).map_err(err)?;
            }
        }
        Ok(())
    }
}

/// A sink dropped before [`Sink::finish`] (a batch stopped by an error elsewhere) commits the
/// files it was given: each is whole.
impl Drop for SqliteSink {
    fn drop(&mut self) {
        let _ = self.commit();
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

    /// How many rows of `table` a reader of the database sees: what is committed.
    fn committed(path: &Path, table: &str) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// The database is in WAL mode, checkpointed every 10,000 pages, its temporary store in
    /// memory; a file's rows are committed when the sink is finished (a group of one), and the WAL is emptied then.
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
        assert_eq!(pragma(&sink, "temp_store"), "Integer(2)", "memory");
        let records = crate::pipeline::process(
            Path::new("samples/qinghe-2027-budget.txt"),
            &crate::ReadConfig::default(),
        );
        sink.write_file(&records).unwrap();
        assert_eq!(committed(&path, "documents"), 0);
        sink.finish().unwrap();
        let wal_len = std::fs::metadata(dir.path().join("r.db-wal")).map_or(0, |m| m.len());
        assert_eq!(wal_len, 0);
        let (unit, year): (String, i64) = sink
            .conn
            .query_row("SELECT unit, year FROM documents", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((unit.as_str(), year), ("青禾区档案馆", 2027));
        assert_eq!(committed(&path, "figures"), 20);
    }

    /// The rows of `Cargo.toml`'s `not_a_report` error, as if read from `path`.
    fn error_rows(path: &str) -> Rows {
        let mut records =
            crate::pipeline::process(Path::new("Cargo.toml"), &crate::ReadConfig::default());
        let Record::Error(e) = &mut records[0] else {
            panic!("Cargo.toml is not a report");
        };
        e.path = path.to_string();
        Rows::of(&records)
    }

    /// The text column a query of the committed database returns, row by row.
    fn texts(path: &Path, sql: &str) -> Vec<String> {
        Connection::open(path)
            .unwrap()
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A sink on a new database in a temporary directory (removed when the first value is
    /// dropped), the database's path, and the sink with its groups closed after `group_time`.
    fn new_sink(group_time: Duration) -> (tempfile::TempDir, std::path::PathBuf, SqliteSink) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut sink = SqliteSink::open(&path).unwrap();
        sink.group_time = group_time;
        (dir, path, sink)
    }

    /// Files are committed every `GROUP_FILES`, each whole. A file whose rows fail leaves
    /// none of them, and the files before it are committed; so are those of a sink dropped
    /// unfinished.
    #[test]
    fn files_are_committed_in_groups_each_whole() {
        // However slowly the test runs, only the count closes a group.
        let (_dir, path, mut sink) = new_sink(Duration::MAX);
        assert_eq!(error_rows("f0").replaces.unwrap().0, "f0");
        for i in 0..GROUP_FILES - 1 {
            sink.write_rows(error_rows(&format!("f{i}"))).unwrap();
        }
        assert_eq!(committed(&path, "errors"), 0);
        sink.write_rows(error_rows("last of the group")).unwrap();
        assert_eq!(committed(&path, "errors"), GROUP_FILES as i64);

        // A file of two error rows, the second one column short: the first is not kept.
        sink.write_rows(error_rows("next group")).unwrap();
        let mut bad = error_rows("bad");
        let k = TABLES.iter().position(|t| t.name == "errors").unwrap();
        let mut short = bad.tables[k][0].clone();
        short.pop();
        bad.tables[k].push(short);
        let e = sink.write_rows(bad).unwrap_err();
        assert!(e.to_string().contains("parameter"), "{e}");
        assert_eq!(committed(&path, "errors"), GROUP_FILES as i64 + 1);
        let bad_rows: i64 = sink
            .conn
            .query_row("SELECT COUNT(*) FROM errors WHERE path = 'bad'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(bad_rows, 0);

        sink.write_rows(error_rows("after")).unwrap();
        assert_eq!(committed(&path, "errors"), GROUP_FILES as i64 + 1);
        drop(sink);
        assert_eq!(committed(&path, "errors"), GROUP_FILES as i64 + 2);
        assert_eq!(
            texts(&path, "SELECT DISTINCT error FROM errors"),
            ["not_a_report"]
        );
    }

    /// A group is committed once it is `GROUP_TIME` old, however few its files, and when the
    /// batch pauses.
    #[test]
    fn a_group_is_committed_when_its_time_is_up() {
        let (_dir, path, mut sink) = new_sink(Duration::ZERO);
        sink.write_rows(error_rows("a")).unwrap();
        assert_eq!(committed(&path, "errors"), 1);
        sink.group_time = Duration::MAX;
        sink.write_rows(error_rows("b")).unwrap();
        assert_eq!(committed(&path, "errors"), 1);
        // A batch that waits for its next file pauses the sink, which commits.
        sink.pause().unwrap();
        assert_eq!(committed(&path, "errors"), 2);
        sink.write_rows(error_rows("c")).unwrap();
        sink.finish().unwrap();
        assert_eq!(committed(&path, "errors"), 3);
    }

    /// A group whose COMMIT fails is rolled back, whole, and the sink's next group begins and
    /// commits. (The failure here is a deferred foreign key left unmet in the group; with the
    /// transaction left open, the next `BEGIN IMMEDIATE` failed.)
    #[test]
    fn a_group_whose_commit_fails_is_rolled_back_and_the_next_one_commits() {
        let (_dir, path, mut sink) = new_sink(Duration::MAX);
        sink.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON;
                 CREATE TABLE parent (id INTEGER PRIMARY KEY);
                 CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
            )
            .unwrap();
        sink.write_rows(error_rows("a")).unwrap();
        sink.conn
            .execute_batch("INSERT INTO child VALUES (1)")
            .unwrap();
        let failed = sink.pause().unwrap_err();
        assert!(failed.to_string().contains("FOREIGN KEY"), "{failed}");
        assert_eq!(committed(&path, "errors"), 0);
        assert_eq!(committed(&path, "child"), 0);
        sink.write_rows(error_rows("b")).unwrap();
        sink.finish().unwrap();
        assert_eq!(committed(&path, "errors"), 1);
        assert_eq!(texts(&path, "SELECT path FROM errors"), ["b"]);
    }

    /// Two loads into one database wait for each other's groups: the second, started while
    /// the first holds its group open, writes its file once the first commits.
    #[test]
    fn two_loads_into_one_database_wait_for_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut first = SqliteSink::open(&path).unwrap();
        let mut second = SqliteSink::open(&path).unwrap();
        first.group_time = Duration::MAX;
        first.write_rows(error_rows("first")).unwrap();
        let waiting = std::thread::spawn(move || {
            second.write_rows(error_rows("second"))?;
            second.finish()
        });
        std::thread::sleep(Duration::from_millis(300));
        first.finish().unwrap();
        waiting.join().unwrap().unwrap();
        assert_eq!(committed(&path, "errors"), 2);
    }
}
