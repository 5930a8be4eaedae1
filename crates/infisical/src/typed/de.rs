//! The deserializer: string values parsed per field; errors collected, not stopped at.

use super::ConfigError;
use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Deserializes `T`, going again with a placeholder for each missing field, so that every
/// missing and every unparsable key is found in one call.
pub(super) fn deserialize<T: DeserializeOwned>(
    values: &BTreeMap<String, String>,
) -> Result<T, ConfigError> {
    let mut missing = BTreeSet::new();
    loop {
        let invalid = RefCell::new(Vec::new());
        let top = Top {
            values,
            missing: &missing,
            invalid: &invalid,
        };
        match T::deserialize(top) {
            Ok(value) if missing.is_empty() && invalid.borrow().is_empty() => return Ok(value),
            Ok(_) => return Err(report(missing, invalid.into_inner(), None)),
            Err(Problem::Missing(field)) if !missing.contains(&field) => {
                missing.insert(field);
            }
            Err(Problem::InvalidAt { key, expected }) => {
                let mut invalid = invalid.into_inner();
                invalid.push((key, expected));
                return Err(report(missing, invalid, None));
            }
            Err(problem) => {
                return Err(report(
                    missing,
                    invalid.into_inner(),
                    Some(problem.to_string()),
                ));
            }
        }
    }
}

fn report(
    missing: BTreeSet<String>,
    invalid: Vec<(String, String)>,
    other: Option<String>,
) -> ConfigError {
    ConfigError {
        missing: missing.into_iter().collect(),
        invalid,
        other,
        hidden: Vec::new(),
    }
}

/// The deserializer's error: a missing field (to retry with a placeholder), a value that
/// does not fit (what was expected, never the value: serde's own texts quote it), or a
/// message.
#[derive(Debug)]
enum Problem {
    Missing(String),
    /// A value that does not fit, with what was expected.
    Invalid(String),
    /// The same, once the key is known.
    InvalidAt {
        key: String,
        expected: String,
    },
    Other(String),
}

impl Problem {
    /// Any failure while reading the value of `key` becomes "`key`: expected …", whatever
    /// serde said (a custom message may quote the value too).
    fn at(self, key: &str) -> Problem {
        match self {
            Problem::Invalid(expected) => Problem::InvalidAt {
                key: key.to_owned(),
                expected,
            },
            Problem::Other(_) => Problem::InvalidAt {
                key: key.to_owned(),
                expected: "a valid value".to_owned(),
            },
            kept @ (Problem::Missing(_) | Problem::InvalidAt { .. }) => kept,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing(field) => write!(f, "missing field `{field}`"),
            Problem::Invalid(expected) => write!(f, "expected {expected}"),
            Problem::InvalidAt { key, expected } => write!(f, "{key}: expected {expected}"),
            Problem::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Problem {}

impl de::Error for Problem {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Problem::Other(message.to_string())
    }

    fn invalid_type(_value: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Problem::Invalid(expected.to_string())
    }

    fn invalid_value(_value: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Problem::Invalid(expected.to_string())
    }

    fn invalid_length(_len: usize, expected: &dyn de::Expected) -> Self {
        Problem::Invalid(expected.to_string())
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Problem::Invalid(format!("one of {}", expected.join(", ")))
    }

    fn missing_field(field: &'static str) -> Self {
        Problem::Missing(field.to_owned())
    }
}

/// The whole map: a struct or map of keys.
struct Top<'a> {
    values: &'a BTreeMap<String, String>,
    missing: &'a BTreeSet<String>,
    invalid: &'a RefCell<Vec<(String, String)>>,
}

impl<'de> de::Deserializer<'de> for Top<'_> {
    type Error = Problem;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        let present = self
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), Some(v.as_str())));
        let placeholders = self
            .missing
            .iter()
            .filter(|k| !self.values.contains_key(*k))
            .map(|k| (k.as_str(), None));
        let entries: Vec<_> = present.chain(placeholders).collect();
        visitor.visit_map(Entries {
            entries: entries.into_iter(),
            value: None,
            invalid: self.invalid,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct Entries<'a, I> {
    entries: I,
    value: Option<(&'a str, Option<&'a str>)>,
    invalid: &'a RefCell<Vec<(String, String)>>,
}

impl<'de, 'a, I: Iterator<Item = (&'a str, Option<&'a str>)>> MapAccess<'de> for Entries<'a, I> {
    type Error = Problem;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Problem> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        seed.deserialize(entry.0.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Problem> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| Problem::Other("value without a key".into()))?;
        seed.deserialize(Value {
            key,
            value,
            invalid: self.invalid,
        })
        .map_err(|problem| problem.at(key))
    }
}

/// One value. `value: None` is the placeholder of a missing field: it reads as a default
/// so that the other fields can still be checked.
struct Value<'a> {
    key: &'a str,
    value: Option<&'a str>,
    invalid: &'a RefCell<Vec<(String, String)>>,
}

impl Value<'_> {
    /// Parses the value, or records the key as invalid and goes on with `fallback`.
    fn parse<T: std::str::FromStr>(&self, expected: &str, fallback: T) -> T {
        match self.value.map(|v| v.trim().parse::<T>()) {
            Some(Ok(parsed)) => parsed,
            Some(Err(_)) => {
                self.invalid
                    .borrow_mut()
                    .push((self.key.to_owned(), expected.to_owned()));
                fallback
            }
            None => fallback,
        }
    }

    fn text(&self) -> &str {
        self.value.unwrap_or_default()
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
            visitor.$visit(self.parse::<$ty>(stringify!($ty), <$ty>::default()))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = Problem;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        visitor.visit_str(self.text())
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        let parsed = match self.value.map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => true,
            Some(v) if ["false", "0", "no", "off", ""].contains(&v.as_str()) => false,
            Some(_) => self.parse::<bool>("bool", false),
            None => false,
        };
        visitor.visit_bool(parsed)
    }

    parse_number! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
        deserialize_char => visit_char: char,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.value {
            Some(_) => visitor.visit_some(self),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Problem> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        let items: Vec<&str> = match self.value.map(str::trim) {
            Some("") | None => Vec::new(),
            Some(text) => text.split(',').map(str::trim).collect(),
        };
        visitor.visit_seq(Items {
            key: self.key,
            items: items.into_iter(),
            invalid: self.invalid,
        })
    }

    /// A unit variant by name; an unknown name is recorded as invalid and read as the first
    /// variant, so that the other fields are still checked.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Problem> {
        let name = self.text().trim();
        let name = match variants.first() {
            Some(first) if self.value.is_some() && !variants.contains(&name) => {
                self.invalid.borrow_mut().push((
                    self.key.to_owned(),
                    format!("one of {}", variants.join(", ")),
                ));
                first
            }
            Some(first) if self.value.is_none() => first,
            _ => name,
        };
        visitor.visit_enum(name.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Items<'a, I> {
    key: &'a str,
    items: I,
    invalid: &'a RefCell<Vec<(String, String)>>,
}

impl<'de, 'a, I: Iterator<Item = &'a str>> SeqAccess<'de> for Items<'a, I> {
    type Error = Problem;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Problem> {
        self.items
            .next()
            .map(|item| {
                seed.deserialize(Value {
                    key: self.key,
                    value: Some(item),
                    invalid: self.invalid,
                })
            })
            .transpose()
    }
}
