//! The typed deserializer: every field type, every failure named by key, no value shown.

use super::from_map;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, PartialEq)]
#[allow(dead_code)]
enum Mode {
    Fast,
    Safe,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Settings {
    #[serde(rename = "DATABASE_URL")]
    database_url: String,
    #[serde(rename = "PORT")]
    port: u16,
    #[serde(rename = "RATIO")]
    ratio: f64,
    #[serde(rename = "DEBUG", default)]
    debug: bool,
    #[serde(rename = "HOSTS", default)]
    hosts: Vec<String>,
    #[serde(rename = "MODE")]
    mode: Mode,
    #[serde(rename = "TIMEOUT")]
    timeout: Option<u32>,
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn every_kind_of_field() {
    let settings: Settings = from_map(&map(&[
        ("DATABASE_URL", "postgres://db"),
        ("PORT", "8080"),
        ("RATIO", "0.5"),
        ("DEBUG", "true"),
        ("HOSTS", "a, b,c"),
        ("MODE", "Safe"),
        ("UNRELATED", "ignored"),
    ]))
    .unwrap();
    assert_eq!(settings.port, 8080);
    assert_eq!(settings.hosts, ["a", "b", "c"]);
    assert_eq!(settings.mode, Mode::Safe);
    assert_eq!(settings.timeout, None);
    assert!(settings.debug);
}

#[test]
fn every_missing_and_unparsable_key_is_named_and_no_value_shown() {
    let err = from_map::<Settings>(&map(&[
        ("PORT", "eighty-eighty-secret"),
        ("RATIO", "lots"),
        ("TIMEOUT", "soon"),
    ]))
    .unwrap_err();
    assert_eq!(err.missing, ["DATABASE_URL", "MODE"]);
    let invalid: Vec<_> = err.invalid.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(invalid, ["PORT", "RATIO", "TIMEOUT"]);
    let text = err.to_string();
    assert!(text.contains("PORT: expected u16"), "{text}");
    assert!(
        !text.contains("eighty") && !text.contains("lots") && !text.contains("soon"),
        "{text}"
    );
}

const MARKER: &str = "MARKER-7c2e";

/// Every type a field can have, each fed a value holding the marker.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Everything {
    #[serde(rename = "ENUM")]
    mode: Mode,
    #[serde(rename = "U128")]
    big: u128,
    #[serde(rename = "I128")]
    small: i128,
    #[serde(rename = "MAP")]
    map: std::collections::HashMap<String, u8>,
    #[serde(rename = "NESTED")]
    nested: Nested,
    #[serde(rename = "OPTION")]
    option: Option<u16>,
    #[serde(rename = "OPTION_ENUM")]
    option_enum: Option<Mode>,
    #[serde(rename = "SEQ")]
    seq: Vec<u8>,
    #[serde(rename = "SEQ_ENUM")]
    seq_enum: Vec<Mode>,
    #[serde(rename = "BOOL")]
    flag: bool,
    #[serde(rename = "FLOAT")]
    float: f32,
    #[serde(rename = "CHAR")]
    letter: char,
    #[serde(rename = "TUPLE")]
    pair: (u8, u8),
    #[serde(rename = "UNIT")]
    unit: (),
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Nested {
    inner: u8,
}

#[test]
fn no_error_from_any_type_quotes_a_value() {
    let keys = [
        "ENUM",
        "U128",
        "I128",
        "MAP",
        "NESTED",
        "OPTION",
        "OPTION_ENUM",
        "SEQ",
        "SEQ_ENUM",
        "BOOL",
        "FLOAT",
        "CHAR",
        "TUPLE",
        "UNIT",
    ];
    // All at once, then each alone (a value that stops the others from being read).
    let all: Vec<(&str, String)> = keys.iter().map(|k| (*k, MARKER.to_owned())).collect();
    let mut cases = vec![all];
    for key in keys {
        let mut one: Vec<(&str, String)> = keys
            .iter()
            .map(|k| (*k, good_value(k).to_owned()))
            .collect();
        one.retain(|(k, _)| *k != key);
        one.push((key, format!("{MARKER}, x")));
        cases.push(one);
    }
    for case in cases {
        let values: BTreeMap<String, String> = case
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let err = from_map::<Everything>(&values).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("MARKER"), "{text}");
        assert!(
            !err.invalid.is_empty() || err.other.is_some(),
            "the bad value is reported: {text}"
        );
    }
}

#[test]
fn enums_and_128_bit_integers_name_the_key_and_the_type() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Some128 {
        #[serde(rename = "ENUM")]
        mode: Mode,
        #[serde(rename = "U128")]
        big: u128,
        #[serde(rename = "I128")]
        small: i128,
    }
    let values = map(&[
        ("ENUM", "Turbo-MARK"),
        ("U128", "MARK-u128"),
        ("I128", "-1"),
    ]);
    let err = from_map::<Some128>(&values).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ENUM: expected one of Fast, Safe"), "{text}");
    assert!(text.contains("U128: expected u128"), "{text}");
    assert!(!text.contains("MARK"), "{text}");
    let fine = map(&[
        ("ENUM", "Fast"),
        ("U128", "340282366920938463463374607431768211455"),
        ("I128", "-1"),
    ]);
    assert_eq!(from_map::<Some128>(&fine).unwrap().big, u128::MAX);
}

fn good_value(key: &str) -> &'static str {
    match key {
        "ENUM" | "OPTION_ENUM" | "SEQ_ENUM" => "Fast",
        "BOOL" => "true",
        "CHAR" => "c",
        "TUPLE" => "1,2",
        "MAP" | "NESTED" | "UNIT" => "",
        _ => "1",
    }
}
