//! Request variables written as JSON text, byte for byte as serde_json writes them, for the shapes the SDK's
//! variables take: structs, options, strings, booleans, integers, unit enum variants, lists and maps with string
//! keys. serde_json looks at strings one byte at a time to escape them; tokens, the longest strings the SDK sends
//! (about 1.5 KiB for a user's), need no escape, and are copied here as they are after a check eight bytes at a
//! time.
//!
//! Anything else (a float, bytes, a data-carrying enum variant, serde_json's own raw values, an error of the value's
//! `Serialize`) makes [`write()`] start over with serde_json, whose text or error is then the answer.

use std::fmt;

use serde::ser::{self, Serialize};

use super::json_reader::plain_length;

/// Appends `value` as JSON to `out`, as `serde_json::to_writer` would.
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = out.len();
    if value.serialize(Writer { out: &mut *out }).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    serde_json::to_writer(out, value)
}

/// Why [`Writer`] gave up: serde_json takes over.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Unsupported
    }
}

type Written = Result<(), Unsupported>;

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    fn string(&mut self, text: &str) -> Written {
        if plain_length(text.as_bytes()) == text.len() {
            self.out.reserve(text.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(text.as_bytes());
            self.out.push(b'"');
            Ok(())
        } else {
            serde_json::to_writer(&mut *self.out, text).map_err(|_| Unsupported)
        }
    }

    fn integer(&mut self, negative: bool, magnitude: u64) -> Written {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = magnitude;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if negative {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[at..]);
        Ok(())
    }
}

/// A list, map or struct being written.
struct Compound<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut Vec<u8>, bracket: u8) -> Self {
        out.push(bracket);
        Compound { out, first: true }
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.separate();
        value.serialize(Writer { out: &mut *self.out })
    }

    fn key(&mut self, key: &str) -> Written {
        self.separate();
        Writer { out: &mut *self.out }.string(key)?;
        self.out.push(b':');
        Ok(())
    }

    fn close(self, bracket: u8) -> Written {
        self.out.push(bracket);
        Ok(())
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, value: bool) -> Written {
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Written {
        self.serialize_i64(value.into())
    }

    fn serialize_i16(self, value: i16) -> Written {
        self.serialize_i64(value.into())
    }

    fn serialize_i32(self, value: i32) -> Written {
        self.serialize_i64(value.into())
    }

    fn serialize_i64(mut self, value: i64) -> Written {
        self.integer(value < 0, value.unsigned_abs())
    }

    fn serialize_u8(self, value: u8) -> Written {
        self.serialize_u64(value.into())
    }

    fn serialize_u16(self, value: u16) -> Written {
        self.serialize_u64(value.into())
    }

    fn serialize_u32(self, value: u32) -> Written {
        self.serialize_u64(value.into())
    }

    fn serialize_u64(mut self, value: u64) -> Written {
        self.integer(false, value)
    }

    fn serialize_f32(self, _value: f32) -> Written {
        Err(Unsupported)
    }

    fn serialize_f64(self, _value: f64) -> Written {
        Err(Unsupported)
    }

    fn serialize_char(mut self, value: char) -> Written {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(mut self, value: &str) -> Written {
        self.string(value)
    }

    fn serialize_bytes(self, _value: &[u8]) -> Written {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Written {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Written {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Written {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Written {
        self.serialize_unit()
    }

    fn serialize_unit_variant(mut self, _name: &'static str, _index: u32, variant: &'static str) -> Written {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Written {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Written {
        Err(Unsupported)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self.out, b'['))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self.out, b'{'))
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>, Unsupported> {
        // serde_json's raw values and numbers are structs of its own that it writes its own way.
        if name.starts_with("$serde_json::") {
            return Err(Unsupported);
        }
        Ok(Compound::open(self.out, b'{'))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        self.close(b']')
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        self.close(b']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        self.element(value)
    }

    fn end(self) -> Written {
        self.close(b']')
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Written {
        self.separate();
        let start = self.out.len();
        key.serialize(Writer { out: &mut *self.out })?;
        // Only keys written as strings; serde_json's quoting of number and boolean keys, and its refusal of other
        // keys, are left to it.
        if self.out.get(start) != Some(&b'"') {
            return Err(Unsupported);
        }
        self.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        value.serialize(Writer { out: &mut *self.out })
    }

    fn end(self) -> Written {
        self.close(b'}')
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Written {
        self.key(key)?;
        value.serialize(Writer { out: &mut *self.out })
    }

    fn end(self) -> Written {
        self.close(b'}')
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use serde::Serialize;
    use serde_json::{Value, json};

    use super::*;

    fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        let mut ours = b"prefix ".to_vec();
        let written = write(&mut ours, value);
        match serde_json::to_vec(value) {
            Ok(expected) => {
                assert!(written.is_ok());
                assert_eq!(String::from_utf8_lossy(&ours[7..]), String::from_utf8_lossy(&expected));
            }
            Err(expected) => assert_eq!(written.unwrap_err().to_string(), expected.to_string()),
        }
        assert!(ours.starts_with(b"prefix "), "what was there before stays");
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let specials = ["\"", "\\", "\n", "\u{0}", "\u{1f}", "é", "中", "🙂", "\u{7f}", "/"];
        for length in 0..26 {
            for at in 0..=length {
                for special in specials {
                    let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(length - at));
                    same_as_serde_json(&text);
                    same_as_serde_json(&json!({ text.clone(): text }));
                }
            }
        }
        same_as_serde_json(&'"');
        same_as_serde_json(&'中');
    }

    #[test]
    fn the_variables_shapes_are_written_as_serde_json_writes_them() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        enum Kind {
            Plain,
            WithData(u8),
            Pair { a: u8 },
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Input<'a> {
            token: &'a str,
            user_ids: Vec<String>,
            page: Option<u32>,
            limit: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<bool>,
            kinds: Vec<Kind>,
            nested: Option<Box<Input<'a>>>,
            names: BTreeMap<String, Option<i32>>,
            unit: (),
            tuple: (u8, &'a str),
        }
        let names = BTreeMap::from([("a".to_owned(), Some(-1)), ("b \"q\"".to_owned(), None)]);
        let inner = Input {
            token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            user_ids: vec!["u1".into(), "u\n2".into()],
            page: None,
            limit: i64::MIN,
            skipped: None,
            kinds: vec![Kind::Plain],
            nested: None,
            names: names.clone(),
            unit: (),
            tuple: (7, "t"),
        };
        let outer = Input {
            page: Some(u32::MAX),
            skipped: Some(true),
            nested: Some(Box::new(inner)),
            ..Input {
                token: "",
                user_ids: vec![],
                page: None,
                limit: 0,
                skipped: None,
                kinds: vec![Kind::Plain, Kind::Plain],
                nested: None,
                names,
                unit: (),
                tuple: (0, ""),
            }
        };
        same_as_serde_json(&outer);
        // Left to serde_json: variants with data, floats, bytes-like and non-string keys, big integers, raw values.
        same_as_serde_json(&vec![Kind::WithData(1)]);
        same_as_serde_json(&Kind::Pair { a: 1 });
        same_as_serde_json(&json!({ "f": 1.5, "g": [0.1, -2e300] }));
        same_as_serde_json(&HashMap::from([(1u8, "one")]));
        same_as_serde_json(&BTreeMap::from([(true, 1)]));
        same_as_serde_json(&(u128::MAX, i128::MIN));
        same_as_serde_json(&serde_json::value::RawValue::from_string("[1, {\"a\": 2}]".to_owned()).unwrap());
        same_as_serde_json(&f64::NAN);
    }

    #[test]
    fn an_error_from_the_value_is_serde_jsons_error() {
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: ser::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("cannot be written"))
            }
        }
        same_as_serde_json(&json!({ "a": 1 }).as_object().map(|_| vec![Failing]));
        let mut out = Vec::new();
        assert_eq!(write(&mut out, &Failing).unwrap_err().to_string(), "cannot be written");
        assert!(out.is_empty());
    }

    fn random_value(rng: &mut StdRng, depth: u32) -> Value {
        let texts = ["", "plain", "a \"quoted\" word", "back\\slash", "line\nbreak", "é 中 🙂", "\u{1}", "tab\t"];
        match rng.gen_range(0..if depth > 3 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.gen_bool(0.5)),
            2 => json!(rng.gen_range(i64::MIN..=i64::MAX)),
            3 => json!(rng.gen_range(0..=u64::MAX)),
            4 => Value::String(texts[rng.gen_range(0..texts.len())].repeat(rng.gen_range(0..4))),
            5 => Value::Array((0..rng.gen_range(0..4)).map(|_| random_value(rng, depth + 1)).collect()),
            _ => Value::Object(
                (0..rng.gen_range(0..4))
                    .map(|i| (format!("{}{i}", texts[rng.gen_range(0..texts.len())]), random_value(rng, depth + 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn random_json_values_are_written_as_serde_json_writes_them() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..2000 {
            same_as_serde_json(&random_value(&mut rng, 0));
        }
    }
}
