//! Records straight into the cells of their table row: a serde serializer that walks a record
//! once and writes each field into its column (nested objects into `parent_child` columns,
//! arrays and maps as JSON text), with no intermediate `serde_json::Value`. The tabular sinks
//! spend most of their time here, so it matters (see the `sinks` benchmark).

use serde::ser::{self, Impossible, Serialize};

use super::columns::{fen_of, Cell, ColType};

type Error = serde_json::Error;

/// Where the columns of one table are: flattened field name → (position, type).
pub(crate) trait Slots {
    fn slot(&self, key: &str) -> Option<(usize, ColType)>;
}

/// Serializes one record into `cells`.
pub(crate) fn fill<T: Serialize + ?Sized, S: Slots>(
    value: &T,
    slots: &S,
    yuan: bool,
    cells: &mut [Cell],
) -> Result<(), Error> {
    value.serialize(Field {
        key: String::new(),
        slots,
        yuan,
        cells,
    })
}

/// A value at `key` (empty at the top).
struct Field<'a, S: Slots> {
    key: String,
    slots: &'a S,
    yuan: bool,
    cells: &'a mut [Cell],
}

impl<S: Slots> Field<'_, S> {
    fn put(self, cell: Cell) -> Result<(), Error> {
        if let Some((pos, ty)) = self.slots.slot(&self.key) {
            if ty == ColType::Money {
                self.cells[pos + 1] = match &cell {
                    Cell::Text(t) if self.yuan => fen_of(t).map_or(Cell::Null, Cell::Int),
                    _ => Cell::Null,
                };
            }
            self.cells[pos] = cell;
        }
        Ok(())
    }
}

/// The fields of a struct at `prefix`.
struct Fields<'a, S: Slots> {
    prefix: String,
    slots: &'a S,
    yuan: bool,
    cells: &'a mut [Cell],
}

impl<S: Slots> ser::SerializeStruct for Fields<'_, S> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let key = if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}_{name}", self.prefix)
        };
        if let Some((pos, ColType::Json)) = self.slots.slot(&key) {
            let text = serde_json::to_string(value)?;
            self.cells[pos] = if text == "null" {
                Cell::Null
            } else {
                Cell::Text(text)
            };
            return Ok(());
        }
        value.serialize(Field {
            key,
            slots: self.slots,
            yuan: self.yuan,
            cells: self.cells,
        })
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

fn unsupported(what: &str) -> Error {
    ser::Error::custom(format!("{what} outside a JSON column"))
}

impl<'a, S: Slots> ser::Serializer for Field<'a, S> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Fields<'a, S>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.put(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.put(Cell::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.put(i64::try_from(v).map_or_else(|_| Cell::Text(v.to_string()), Cell::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.put(Cell::Text(v.to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.put(Cell::Text(v.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.put(Cell::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.put(Cell::Text(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.put(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.put(Cell::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.put(Cell::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.put(Cell::Text(v.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported("a newtype variant"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(unsupported("an array"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("a tuple"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(unsupported("a map"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Ok(Fields {
            prefix: self.key,
            slots: self.slots,
            yuan: self.yuan,
            cells: self.cells,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("a struct variant"))
    }
}
