//! Tolerant field decoders for Dintero's JSON.
//!
//! Real Dintero data carries amounts as integers (sometimes `12345.0`), quantities
//! and VAT rates as decimals (`2.5`, `25.5`), and metadata values as strings or
//! numbers. These decoders accept each of those forms and nothing looser: a
//! fractional amount or a string where a number belongs is an error that names
//! the field (through `serde_path_to_error`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

/// Decodes an optional amount in minor units: an integer, or a float with no
/// fractional part (`12345.0`).
pub(crate) fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer amount in minor units")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("amount {v} is too large")))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // 2^53: beyond it, floats no longer hold every integer exactly.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if v.is_finite() && v.fract() == 0.0 && v.abs() <= EXACT {
                #[allow(clippy::cast_possible_truncation)]
                Ok(Some(v as i64))
            } else {
                Err(E::custom(format!(
                    "amount {v} is not a whole number of minor units"
                )))
            }
        }
    }
    d.deserialize_option(V)
}

/// Decodes an optional exact decimal from a JSON number or a numeric string.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // The shortest decimal that round-trips is the literal that was written
            // (25.5 stays 25.5), so go through text rather than binary.
            decimal_text(&v.to_string())
                .map(Some)
                .ok_or_else(|| E::custom(format!("{v} is out of range for a decimal")))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            decimal_text(v)
                .map(Some)
                .ok_or_else(|| E::custom(format!("{v:?} is not a decimal number")))
        }
    }
    d.deserialize_option(V)
}

fn decimal_text(s: &str) -> Option<Decimal> {
    let s = s.trim();
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

/// The text of a metadata value: strings as given (trimmed), numbers as their
/// decimal text (`3075434963`, `25.5`). Anything else is `Err` with its JSON type.
pub fn value_text(v: &serde_json::Value) -> Result<String, &'static str> {
    match v {
        serde_json::Value::String(s) => Ok(s.trim().to_string()),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                Ok(i.to_string())
            } else if let Some(i) = n.as_i64() {
                Ok(i.to_string())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Ok(decimal_text(&f.to_string())
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_else(|| n.to_string()))
            }
        }
        serde_json::Value::Null => Err("null"),
        serde_json::Value::Bool(_) => Err("a boolean"),
        serde_json::Value::Array(_) => Err("an array"),
        serde_json::Value::Object(_) => Err("an object"),
    }
}

/// A JSON value whose objects, at any depth, name no key twice.
struct UniqueValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for UniqueValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UniqueValue, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UniqueValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Number::from_f64(v).map_or(
                    serde_json::Value::Null,
                    serde_json::Value::Number,
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Value::String(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Value::String(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<UniqueValue, E> {
                Ok(UniqueValue(serde_json::Value::Null))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<UniqueValue, D2::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueValue, A::Error> {
                let mut out = Vec::new();
                while let Some(UniqueValue(v)) = seq.next_element()? {
                    out.push(v);
                }
                Ok(UniqueValue(serde_json::Value::Array(out)))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<UniqueValue, A::Error> {
                let m = unique_entries(map)?;
                Ok(UniqueValue(serde_json::Value::Object(
                    m.into_iter().collect(),
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// The entries of a JSON object; a key given twice is an error (serde would
/// otherwise keep the last value silently).
fn unique_entries<'de, A: de::MapAccess<'de>>(
    mut map: A,
) -> Result<BTreeMap<String, serde_json::Value>, A::Error> {
    let mut out = BTreeMap::new();
    while let Some(key) = map.next_key::<String>()? {
        let UniqueValue(value) = map.next_value()?;
        if out.contains_key(&key) {
            return Err(de::Error::custom(format!(
                "duplicate key {key:?}: a key may appear only once"
            )));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// Decodes a JSON object into a map, refusing a key given twice at any depth:
/// for the maps that carry money or payment facts (metadata, the payment
/// configuration), where "the last one wins" would pick a value silently.
pub(crate) fn unique_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = BTreeMap<String, serde_json::Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            unique_entries(map)
        }
    }
    d.deserialize_map(V)
}

/// [`unique_map`] for an optional object (absent or `null`: `None`).
pub(crate) fn unique_map_opt<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, serde_json::Value>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<BTreeMap<String, serde_json::Value>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            unique_map(d).map(Some)
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "amount")]
        a: Option<i64>,
        #[serde(default, deserialize_with = "decimal")]
        d: Option<Decimal>,
    }

    fn parse(s: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(s)
    }

    #[test]
    fn amounts_accept_integers_and_whole_floats() {
        assert_eq!(parse(r#"{"a": 12345}"#).unwrap().a, Some(12345));
        assert_eq!(parse(r#"{"a": 12345.0}"#).unwrap().a, Some(12345));
        assert_eq!(parse(r#"{"a": null}"#).unwrap().a, None);
        assert_eq!(parse(r#"{}"#).unwrap().a, None);
        assert!(parse(r#"{"a": 12345.5}"#).is_err());
        assert!(parse(r#"{"a": "12345"}"#).is_err());
        assert!(parse(r#"{"a": 1e300}"#).is_err());
        assert!(parse(r#"{"a": 18446744073709551615}"#).is_err());
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            parse(r#"{"d": 25.5}"#).unwrap().d,
            Some(Decimal::new(255, 1))
        );
        assert_eq!(parse(r#"{"d": 0.1}"#).unwrap().d, Some(Decimal::new(1, 1)));
        assert_eq!(
            parse(r#"{"d": "13.5"}"#).unwrap().d,
            Some(Decimal::new(135, 1))
        );
        assert_eq!(parse(r#"{"d": 2}"#).unwrap().d, Some(Decimal::from(2)));
        assert!(parse(r#"{"d": "x"}"#).is_err());
        assert!(parse(r#"{"d": 1e300}"#).is_err());
    }

    #[test]
    fn metadata_numbers_become_their_decimal_text() {
        let v: serde_json::Value = serde_json::from_str("3075434963").unwrap();
        assert_eq!(value_text(&v).unwrap(), "3075434963");
        let v: serde_json::Value = serde_json::from_str("\" 12 \"").unwrap();
        assert_eq!(value_text(&v).unwrap(), "12");
        let v: serde_json::Value = serde_json::from_str("{}").unwrap();
        assert_eq!(value_text(&v), Err("an object"));
    }

    #[derive(Deserialize)]
    struct M {
        #[serde(default, deserialize_with = "unique_map_opt")]
        m: Option<BTreeMap<String, serde_json::Value>>,
    }

    #[test]
    fn unique_maps_refuse_a_key_twice_at_any_depth() {
        let ok: M = serde_json::from_str(r#"{"m": {"a": 1, "b": {"c": [1, {"d": 2}]}}}"#).unwrap();
        assert_eq!(ok.m.unwrap()["b"]["c"][1]["d"], 2);
        let none: M = serde_json::from_str(r#"{"m": null}"#).unwrap();
        assert!(none.m.is_none());
        for twice in [
            r#"{"m": {"a": 1, "a": 2}}"#,
            r#"{"m": {"a": {"b": 1, "b": 1}}}"#,
            r#"{"m": {"a": [{"c": 1, "c": 2}]}}"#,
        ] {
            let e = serde_json::from_str::<M>(twice).err().unwrap();
            assert!(e.to_string().contains("duplicate key"), "{twice}: {e}");
        }
    }
}
