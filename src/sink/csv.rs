//! CSV: a directory with one file per table (`line_items.csv`, …, see [`super::columns`]),
//! a header row, UTF-8 without BOM, RFC 4180 quoting. Money and codes are text: a reader that
//! keeps every column as a string (`pandas.read_csv(..., dtype=str)`) loses nothing, and the
//! `_fen` columns are whole numbers for arithmetic.
//!
//! Each file is written under a temporary name in the directory and renamed when the batch
//! is complete, so an interrupted run leaves the previous files (or none), never half a file.

use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::columns::{Cell, Rows, TABLES};
use super::Sink;
use crate::record::Record;

/// Writes one CSV file per table into a directory.
pub struct CsvSink {
    dir: PathBuf,
    writers: Vec<(csv::Writer<BufWriter<File>>, tempfile::TempPath)>,
}

impl CsvSink {
    /// Creates the directory if needed and starts a file per table.
    pub fn create(dir: &Path) -> std::io::Result<CsvSink> {
        std::fs::create_dir_all(dir)?;
        let mut writers = Vec::new();
        for t in TABLES {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{}.", t.name))
                .suffix(".csv.tmp")
                .tempfile_in(dir)?;
            let (file, path) = tmp.into_parts();
            let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
            let header: Vec<String> = t.physical().into_iter().map(|p| p.name).collect();
            w.write_record(&header).map_err(std::io::Error::other)?;
            writers.push((w, path));
        }
        Ok(CsvSink {
            dir: dir.to_path_buf(),
            writers,
        })
    }
}

impl Sink for CsvSink {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        self.write_rows(Rows::of(records))
    }

    fn takes_rows(&self) -> bool {
        true
    }

    fn write_rows(&mut self, rows: Rows) -> std::io::Result<()> {
        for ((w, _), (_, rows)) in self.writers.iter_mut().zip(rows.by_table()) {
            for cells in rows {
                w.write_record(cells.iter().map(csv_field))
                    .map_err(std::io::Error::other)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        for ((w, tmp), t) in std::mem::take(&mut self.writers).into_iter().zip(TABLES) {
            let file = w
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .into_inner()
                .map_err(|e| e.into_error())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
            tmp.persist(self.dir.join(format!("{}.csv", t.name)))
                .map_err(|e| e.error)?;
        }
        Ok(())
    }
}

/// A cell as the bytes of its CSV field, borrowed when it is text.
fn csv_field(cell: &Cell) -> Cow<'_, [u8]> {
    match cell.to_csv() {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}
