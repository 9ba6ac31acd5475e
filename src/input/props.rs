//! A feature's `properties` as read: a compact, allocation-light stand-in for
//! `serde_json::Map<String, Value>`.
//!
//! Every feature has its own properties object, so this is the second-hottest structure of the
//! loader after coordinates. A `Map` costs a hash table (SipHash over every key, twice: on insert
//! and on lookup) plus one heap string per key and per string value. Here the keys and string
//! values of one feature share a single text buffer and the entries sit in one vector: two
//! allocations per feature whatever the number of properties. Features carry a dozen properties
//! at most, so a linear lookup is faster than hashing.
//!
//! The semantics are those of the `Map` it replaces, so that what is accepted, refused and read
//! does not change:
//! - the same deserializer calls (`deserialize_map`, the same "a map" in type errors), and nested
//!   arrays and objects are read by `serde_json::Value` itself;
//! - a key given twice keeps its last value (as `Map::insert` does);
//! - numbers are `serde_json::Number`s built exactly as `Value` builds them.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};
use std::cell::Cell;
use std::fmt;
use std::ops::Range;

/// The properties of one feature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties {
    /// Keys and string values, back to back.
    text: String,
    /// In file order; duplicates are kept and the last one wins on lookup.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    key: Range<usize>,
    value: Stored,
}

#[derive(Debug, Clone, PartialEq)]
enum Stored {
    Null,
    Bool(bool),
    Number(Number),
    /// A range of `Properties::text`.
    String(Range<usize>),
    /// An array or an object, as `serde_json` reads it.
    Other(Box<Value>),
}

/// One property value, borrowed from [`Properties`]: what a `&serde_json::Value` would be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prop<'a> {
    Null,
    Bool(bool),
    Number(&'a Number),
    String(&'a str),
    /// An array or an object.
    Other(&'a Value),
}

impl Properties {
    /// The value of `key` (the last one if the key was given more than once).
    pub fn get(&self, key: &str) -> Option<Prop<'_>> {
        let e = self
            .entries
            .iter()
            .rev()
            .find(|e| self.text.as_bytes().get(e.key.clone()) == Some(key.as_bytes()))?;
        Some(match &e.value {
            Stored::Null => Prop::Null,
            Stored::Bool(b) => Prop::Bool(*b),
            Stored::Number(n) => Prop::Number(n),
            Stored::String(r) => Prop::String(self.text.get(r.clone()).unwrap_or_default()),
            Stored::Other(v) => Prop::Other(v),
        })
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Properties holding strings, in order (an attribute table's row, read as a feature's).
    pub fn from_strings<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> Properties {
        let mut p = Properties::default();
        for (k, v) in pairs {
            let key = p.push_text(k);
            let value = Stored::String(p.push_text(v));
            p.entries.push(Entry { key, value });
        }
        p
    }

    /// The keys, in file order (a key given twice appears twice).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .map(|e| self.text.get(e.key.clone()).unwrap_or_default())
    }

    fn push_text(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }
}

impl<'a> Prop<'a> {
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Prop::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a `serde_json::Value` (for messages: it prints as JSON).
    pub fn to_value(self) -> Value {
        match self {
            Prop::Null => Value::Null,
            Prop::Bool(b) => Value::Bool(b),
            Prop::Number(n) => Value::Number(n.clone()),
            Prop::String(s) => Value::String(s.to_string()),
            Prop::Other(v) => v.clone(),
        }
    }
}

/// Prints the value as JSON, exactly as `serde_json::Value` does.
impl fmt::Display for Prop<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_value(), f)
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Properties;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Properties, E> {
                Ok(Properties::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties, A::Error> {
                // Read into buffers kept from feature to feature, then copied out at their
                // exact lengths: no reallocation as they grow, no spare capacity.
                let mut p = SCRATCH.take();
                p.text.clear();
                p.entries.clear();
                let read = read_entries(&mut p, &mut map);
                let out = Properties {
                    text: p.text.as_str().to_owned(),
                    entries: p.entries.drain(..).collect(),
                };
                // Kept unless one huge feature made it huge: threads outlive the file.
                if p.text.capacity() <= 1 << 16 && p.entries.capacity() <= 1 << 12 {
                    SCRATCH.set(p);
                }
                read.map(|()| out)
            }
        }
        d.deserialize_map(V)
    }
}

thread_local! {
    static SCRATCH: Cell<Properties> = const {
        Cell::new(Properties {
            text: String::new(),
            entries: Vec::new(),
        })
    };
}

fn read_entries<'de, A: MapAccess<'de>>(p: &mut Properties, map: &mut A) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(Text(p))? {
        let value = map.next_value_seed(ValueSeed(p))?;
        p.entries.push(Entry { key, value });
    }
    Ok(())
}

/// A key, appended to the text buffer.
struct Text<'p>(&'p mut Properties);

impl<'de> DeserializeSeed<'de> for Text<'_> {
    type Value = Range<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for Text<'_> {
    type Value = Range<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.push_text(v))
    }
}

/// A value, read as `serde_json::Value` reads it; strings go to the text buffer.
struct ValueSeed<'p>(&'p mut Properties);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Stored;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Stored, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Stored;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Stored, E> {
        Ok(Stored::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Stored, E> {
        Ok(Stored::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Stored, E> {
        Ok(Stored::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Stored, E> {
        Self::from_value(Value::deserialize(de::value::I128Deserializer::<E>::new(
            v,
        ))?)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Stored, E> {
        Self::from_value(Value::deserialize(de::value::U128Deserializer::<E>::new(
            v,
        ))?)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Stored, E> {
        Ok(Number::from_f64(v).map_or(Stored::Null, Stored::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Stored, E> {
        Ok(Stored::String(self.0.push_text(v)))
    }
    fn visit_none<E>(self) -> Result<Stored, E> {
        Ok(Stored::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Stored, D::Error> {
        self.deserialize(d)
    }
    fn visit_unit<E>(self) -> Result<Stored, E> {
        Ok(Stored::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Stored, A::Error> {
        let v = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Stored::Other(Box::new(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Stored, A::Error> {
        let v = Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Stored::Other(Box::new(v)))
    }
}

impl ValueSeed<'_> {
    /// Only for the 128-bit integers `serde_json` does not produce (kept for parity with `Value`).
    fn from_value<E>(v: Value) -> Result<Stored, E> {
        Ok(match v {
            Value::Number(n) => Stored::Number(n),
            other => Stored::Other(Box::new(other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    /// Reads `json` both as `Properties` and as the `Map` it replaces.
    fn both(
        json: &str,
    ) -> (
        Result<Properties, String>,
        Result<Map<String, Value>, String>,
    ) {
        (
            serde_json::from_str::<Properties>(json).map_err(|e| e.to_string()),
            serde_json::from_str::<Map<String, Value>>(json).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn reads_what_a_map_reads() {
        let json = r#"{"a":"x\"y","n":-3,"u":18446744073709551615,"f":1.5e-7,"b":true,
            "z":null,"arr":[1,[2,{"k":"v"}]],"obj":{"k":1,"k":2},"a":"last","e":""}"#;
        let (p, m) = both(json);
        let (p, m) = (p.unwrap(), m.unwrap());
        for (k, v) in &m {
            let got = p.get(k).map(Prop::to_value);
            assert_eq!(got.as_ref(), Some(v), "{k}");
            assert_eq!(p.get(k).map(|p| p.to_string()), Some(v.to_string()));
        }
        assert_eq!(p.get("a"), Some(Prop::String("last")));
        assert_eq!(p.get("missing"), None);
        assert!(p.contains_key("z") && !p.contains_key("Z"));
    }

    #[test]
    fn refuses_what_a_map_refuses_with_the_same_message() {
        for json in [
            r#""x""#,
            "[1]",
            "3",
            r#"{"a":1e400}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{1:2}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":[1,2"#,
        ] {
            let (p, m) = both(json);
            assert_eq!(p.map(|_| ()), m.map(|_| ()), "{json}");
        }
    }
}
