//! Parquet: a directory with one file per table of [`super::columns`] (`line_items.parquet`,
//! …), every column optional, text as UTF-8 strings (money as its exact decimal string, codes as
//! strings), whole numbers as INT64 (the `_fen` columns included), flags as BOOLEAN, Snappy
//! compression. Rows are buffered per table and written as a row group every
//! [`ROW_GROUP`] rows, so memory stays bounded on any batch size.
//!
//! Each file is written under a temporary name in the directory and renamed when the batch is
//! complete, like the CSV files.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::columns::{Cell, PhysicalType, Rows, TableSpec, TABLES};
use super::Sink;
use crate::record::Record;

/// Rows per row group.
pub const ROW_GROUP: usize = 50_000;

fn err(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e)
}

/// One table's file and the rows not yet written.
struct TableFile {
    spec: &'static TableSpec,
    types: Vec<PhysicalType>,
    writer: SerializedFileWriter<File>,
    tmp: tempfile::TempPath,
    rows: Vec<Vec<Cell>>,
}

/// Writes one Parquet file per table into a directory.
pub struct ParquetSink {
    dir: PathBuf,
    tables: Vec<TableFile>,
}

impl ParquetSink {
    /// Creates the directory if needed and starts a file per table.
    pub fn create(dir: &Path) -> std::io::Result<ParquetSink> {
        std::fs::create_dir_all(dir)?;
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        let mut tables = Vec::new();
        for spec in TABLES {
            let physical = spec.physical();
            let fields: Vec<String> = physical
                .iter()
                .map(|p| match p.ty {
                    PhysicalType::Text => format!("OPTIONAL BYTE_ARRAY {} (UTF8);", p.name),
                    PhysicalType::Int => format!("OPTIONAL INT64 {};", p.name),
                    PhysicalType::Bool => format!("OPTIONAL BOOLEAN {};", p.name),
                })
                .collect();
            let schema =
                parse_message_type(&format!("message {} {{ {} }}", spec.name, fields.join(" ")))
                    .map_err(err)?;
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{}.", spec.name))
                .suffix(".parquet.tmp")
                .tempfile_in(dir)?;
            let (file, path) = tmp.into_parts();
            let writer =
                SerializedFileWriter::new(file, Arc::new(schema), props.clone()).map_err(err)?;
            tables.push(TableFile {
                spec,
                types: physical.iter().map(|p| p.ty).collect(),
                writer,
                tmp: path,
                rows: Vec::new(),
            });
        }
        Ok(ParquetSink {
            dir: dir.to_path_buf(),
            tables,
        })
    }
}

impl TableFile {
    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> std::io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group().map_err(err)?;
        let mut k = 0;
        while let Some(mut col) = rg.next_column().map_err(err)? {
            let cells = self.rows.iter().map(|r| &r[k]);
            let ty = self.types[k];
            // Whether a cell has a value of the column's type (a text column takes any
            // value, written as text); the definition levels and the values follow from it.
            let present = |c: &Cell| match ty {
                PhysicalType::Text => *c != Cell::Null,
                PhysicalType::Int => matches!(c, Cell::Int(_)),
                PhysicalType::Bool => matches!(c, Cell::Bool(_)),
            };
            let defs: Vec<i16> = cells.clone().map(|c| i16::from(present(c))).collect();
            let cells = cells.filter(|c| present(c));
            match ty {
                PhysicalType::Text => {
                    let values: Vec<ByteArray> = cells
                        .filter_map(|c| match c {
                            Cell::Text(s) => Some(ByteArray::from(s.as_str())),
                            Cell::Int(i) => Some(ByteArray::from(i.to_string().as_str())),
                            Cell::Bool(b) => Some(ByteArray::from(b.to_string().as_str())),
                            Cell::Null => None,
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(err)?;
                }
                PhysicalType::Int => {
                    let values: Vec<i64> = cells
                        .filter_map(|c| match c {
                            Cell::Int(i) => Some(*i),
                            _ => None,
                        })
                        .collect();
                    col.typed::<Int64Type>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(err)?;
                }
                PhysicalType::Bool => {
                    let values: Vec<bool> = cells
                        .filter_map(|c| match c {
                            Cell::Bool(b) => Some(*b),
                            _ => None,
                        })
                        .collect();
                    col.typed::<BoolType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(err)?;
                }
            }
            col.close().map_err(err)?;
            k += 1;
        }
        rg.close().map_err(err)?;
        self.rows.clear();
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        self.write_rows(Rows::of(records))
    }

    fn takes_rows(&self) -> bool {
        true
    }

    fn write_rows(&mut self, rows: Rows) -> std::io::Result<()> {
        for (t, rows) in self.tables.iter_mut().zip(rows.tables) {
            for cells in rows {
                t.rows.push(cells);
                if t.rows.len() >= ROW_GROUP {
                    t.flush()?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        for mut t in std::mem::take(&mut self.tables) {
            t.flush()?;
            let file = t.writer.into_inner().map_err(err)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
            t.tmp
                .persist(self.dir.join(format!("{}.parquet", t.spec.name)))
                .map_err(|e| e.error)?;
        }
        Ok(())
    }
}
