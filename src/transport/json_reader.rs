//! A forward-only reader of JSON text, for the few responses the SDK reads without serde's derive (users and
//! pages of users: `models/user/reader.rs`).
//!
//! It knows the plain shape Authing gives those responses: strings without escapes, integers, `null`, `true` and
//! `false`. Anything else (an escape, a fraction, a key it does not expect) makes it answer `None`, and the caller
//! decodes the whole body with serde_json instead, which reads or rejects every JSON text. So the reader never has
//! to be complete, only never to accept what serde_json would refuse or read differently.

use serde::de::DeserializeOwned;

pub(crate) struct JsonReader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> JsonReader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn rest(&self) -> &'a [u8] {
        &self.text.as_bytes()[self.at..]
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        // Usually there is none: one look at the next byte.
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.as_bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte that is not whitespace, without consuming it.
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.rest().first().copied()
    }

    /// Consumes the next byte that is not whitespace, if it is `byte`.
    #[inline]
    pub(crate) fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Consumes `word` if it comes next (after whitespace).
    #[inline]
    fn word(&mut self, word: &[u8]) -> bool {
        self.skip_whitespace();
        let found = self.rest().starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// Consumes `null` if it comes next.
    #[inline]
    pub(crate) fn null(&mut self) -> bool {
        self.word(b"null")
    }

    /// Consumes `[]` if it comes next.
    pub(crate) fn empty_array(&mut self) -> bool {
        let start = self.at;
        if self.eat(b'[').is_some() && self.eat(b']').is_some() {
            return true;
        }
        self.at = start;
        false
    }

    /// After a member of an object: `true` when another follows (`,`), `false` at the object's end (`}`).
    #[inline]
    pub(crate) fn next_member(&mut self) -> Option<bool> {
        self.next_in(b'}')
    }

    /// After an element of an array: `true` when another follows (`,`), `false` at the array's end (`]`).
    pub(crate) fn next_element(&mut self) -> Option<bool> {
        self.next_in(b']')
    }

    #[inline]
    fn next_in(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => self.at += 1,
            byte if byte == close => {
                self.at += 1;
                return Some(false);
            }
            _ => return None,
        }
        Some(true)
    }

    /// Opens an object or an array (`open` is `{` or `[`): `true` when it has members, `false` when it is empty
    /// and already closed.
    pub(crate) fn open(&mut self, open: u8, close: u8) -> Option<bool> {
        self.eat(open)?;
        if self.peek()? == close {
            self.at += 1;
            return Some(false);
        }
        Some(true)
    }

    /// The whole text has been read, but for trailing whitespace.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    /// A string without escapes, borrowed from the text.
    #[inline]
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let length = plain_length(self.rest());
        if self.rest().get(length) != Some(&b'"') {
            return None;
        }
        self.at += length + 1;
        // `start` and `start + length` sit next to ASCII quotes, so both are character boundaries.
        self.text.get(start..start + length)
    }

    /// Consumes `pattern` (a key with its quotes and colon, `"name":`, and perhaps what follows) if it comes next.
    #[inline]
    pub(crate) fn key_is(&mut self, pattern: &[u8]) -> bool {
        self.skip_whitespace();
        let found = starts_with(self.rest(), pattern);
        if found {
            self.at += pattern.len();
        }
        found
    }

    /// An object's key and the `:` after it.
    pub(crate) fn key(&mut self) -> Option<&'a str> {
        let key = self.str()?;
        self.eat(b':')?;
        Some(key)
    }

    pub(crate) fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    /// `None` inside for `null`, else what `read` reads.
    pub(crate) fn nullable<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.null() { Some(None) } else { read(self).map(Some) }
    }

    pub(crate) fn bool(&mut self) -> Option<bool> {
        if self.word(b"true") {
            Some(true)
        } else if self.word(b"false") {
            Some(false)
        } else {
            None
        }
    }

    pub(crate) fn i64(&mut self) -> Option<i64> {
        let negative = self.peek()? == b'-';
        if negative {
            self.at += 1;
        }
        let magnitude = self.digits()?;
        match (negative, magnitude) {
            // serde_json reads `-0` as a float, which an integer field refuses.
            (true, 0) => None,
            (true, _) => 0i64.checked_sub_unsigned(magnitude),
            (false, _) => i64::try_from(magnitude).ok(),
        }
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.skip_whitespace();
        self.digits()
    }

    /// The digits of an integer: no leading zero, no fraction or exponent after them, no overflow.
    fn digits(&mut self) -> Option<u64> {
        let rest = self.rest();
        let count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let leading_zero = count > 1 && rest[0] == b'0';
        if count == 0 || leading_zero || matches!(rest.get(count), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let value = rest[..count]
            .iter()
            .try_fold(0u64, |value, digit| value.checked_mul(10)?.checked_add(u64::from(digit - b'0')))?;
        self.at += count;
        Some(value)
    }

    /// The next value, whatever it is, decoded by serde_json.
    pub(crate) fn serde<T: DeserializeOwned>(&mut self) -> Option<T> {
        let mut values = serde_json::Deserializer::from_str(self.text.get(self.at..)?).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.at += values.byte_offset();
        Some(value)
    }
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// How many bytes from the start of `bytes` can be taken into a string as they are: up to the first quote,
/// backslash or control character, or the end. Eight bytes at a time, for strings are mostly short and plain.
pub(super) fn plain_length(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        // Each mask's lowest set bit marks the first byte that matches it (bits above it may be spurious).
        let word = u64::from_le_bytes(*chunk);
        let special = zero_byte(word ^ (ONES * u64::from(b'"')))
            | zero_byte(word ^ (ONES * u64::from(b'\\')))
            | below(word, 0x20);
        if special != 0 {
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|&&b| b != b'"' && b != b'\\' && b >= 0x20).count()
}

fn zero_byte(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

fn below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS
}

/// `bytes.starts_with(prefix)` for the short prefixes of keys: a few word comparisons, without a call to `memcmp`.
#[inline]
fn starts_with(bytes: &[u8], prefix: &[u8]) -> bool {
    let Some(head) = bytes.get(..prefix.len()) else { return false };
    if let (Some(last), Some(expected_last)) = (head.last_chunk::<8>(), prefix.last_chunk::<8>()) {
        // Eight bytes at a time, then the last eight, which may overlap the ones before.
        let (mut head, mut prefix) = (head, prefix);
        while let (Some((word, rest)), Some((expected, expected_rest))) =
            (head.split_first_chunk::<8>(), prefix.split_first_chunk::<8>())
        {
            if word != expected {
                return false;
            }
            (head, prefix) = (rest, expected_rest);
        }
        return last == expected_last;
    }
    match (head.first_chunk::<4>(), head.last_chunk::<4>(), prefix.first_chunk::<4>(), prefix.last_chunk::<4>()) {
        (Some(first), Some(last), Some(expected_first), Some(expected_last)) => {
            first == expected_first && last == expected_last
        }
        _ => head == prefix,
    }
}

/// The value of the single root field of a GraphQL response `{"data": {"<field>": value}}` with nothing else in
/// it, read by `read`.
pub(crate) fn root_field<T>(text: &str, read: fn(&mut JsonReader<'_>) -> Option<T>) -> Option<T> {
    let mut reader = JsonReader::new(text);
    reader.eat(b'{')?;
    if reader.key()? != "data" {
        return None;
    }
    reader.eat(b'{')?;
    reader.key()?;
    let value = read(&mut reader)?;
    reader.eat(b'}')?;
    reader.eat(b'}')?;
    reader.at_end().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<'a, T>(text: &'a str, read: impl FnOnce(&mut JsonReader<'a>) -> Option<T>) -> Option<T> {
        let mut reader = JsonReader::new(text);
        let value = read(&mut reader)?;
        reader.at_end().then_some(value)
    }

    #[test]
    fn integers_are_read_as_serde_json_reads_them_or_left_to_it() {
        for text in ["0", "7", "-12", "42 ", "9223372036854775807", "-9223372036854775808"] {
            assert_eq!(read(text, JsonReader::i64), serde_json::from_str::<i64>(text).ok(), "{text}");
        }
        for text in
            ["01", "-", "+1", "-0", "1.0", "1e3", "1E3", "-01", "9223372036854775808", "-9223372036854775809", ""]
        {
            assert_eq!(serde_json::from_str::<i64>(text).ok(), None, "{text}");
            assert_eq!(read(text, JsonReader::i64), None, "{text}");
        }
        assert_eq!(read("18446744073709551615", JsonReader::u64), Some(u64::MAX));
        for text in ["18446744073709551616", "-1", "2.5"] {
            assert_eq!(read(text, JsonReader::u64), None, "{text}");
        }
    }

    #[test]
    fn strings_with_escapes_or_control_characters_are_left_to_serde() {
        assert_eq!(read(r#" "plain é 中" "#, JsonReader::string).as_deref(), Some("plain é 中"));
        assert_eq!(read(r#""""#, JsonReader::string).as_deref(), Some(""));
        for text in [r#""a\"b""#, r#""a\u0041""#, "\"tab\there\"", "\"open", "'single'", "null"] {
            assert_eq!(read(text, JsonReader::string), None, "{text}");
        }
    }

    #[test]
    fn plain_length_stops_where_a_byte_by_byte_scan_stops() {
        let naive = |bytes: &[u8]| bytes.iter().take_while(|&&b| b != b'"' && b != b'\\' && b >= 0x20).count();
        let specials = [b'"', b'\\', 0x00, 0x1f, b'\n'];
        let ordinary = [b'a', b' ', 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xe4, 0xff];
        for length in 0..40 {
            let mut bytes: Vec<u8> = (0..length).map(|i| ordinary[i % ordinary.len()]).collect();
            assert_eq!(plain_length(&bytes), length);
            for at in 0..length {
                for special in specials {
                    let kept = bytes[at];
                    bytes[at] = special;
                    // A second special byte after the first must not change the answer.
                    if at + 3 < length {
                        bytes[at + 3] = b'"';
                    }
                    assert_eq!(plain_length(&bytes), naive(&bytes), "{bytes:?}");
                    bytes[at] = kept;
                    if at + 3 < length {
                        bytes[at + 3] = ordinary[(at + 3) % ordinary.len()];
                    }
                }
            }
        }
    }

    #[test]
    fn starts_with_agrees_with_the_standard_one_for_every_length_and_difference() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for length in 0..=24 {
            let prefix = &text[..length];
            assert!(starts_with(&text, prefix));
            assert!(!starts_with(&text[..length.saturating_sub(1)], prefix) || length == 0);
            for at in 0..length {
                let mut other = text.clone();
                other[at] ^= 0x20;
                assert_eq!(starts_with(&other, prefix), other.starts_with(prefix), "length {length}, at {at}");
                assert!(!starts_with(&other, prefix));
            }
        }
    }

    #[test]
    fn words_must_be_whole() {
        assert_eq!(read("null", |r| r.nullable(JsonReader::bool)), Some(None));
        assert_eq!(read(" true", |r| r.nullable(JsonReader::bool)), Some(Some(true)));
        assert_eq!(read("false", JsonReader::bool), Some(false));
        for text in ["nul", "nulls", "truex", "False"] {
            assert_eq!(read(text, |r| r.nullable(JsonReader::bool)), None, "{text}");
        }
    }

    #[test]
    fn nested_values_go_through_serde_and_reading_goes_on_after_them() {
        let mut reader = JsonReader::new(r#"[{"a": [1, "\u0041"]}, 5] , "next""#);
        let nested: serde_json::Value = reader.serde().unwrap();
        assert_eq!(nested, serde_json::json!([{ "a": [1, "A"] }, 5]));
        assert_eq!(reader.next_element(), Some(true));
        assert_eq!(reader.str(), Some("next"));
        assert!(reader.at_end());
    }

    #[test]
    fn the_root_field_is_read_only_from_a_response_with_data_alone() {
        let value = |r: &mut JsonReader<'_>| r.i64();
        assert_eq!(root_field(r#" { "data" : { "users" : 3 } } "#, value), Some(3));
        for text in [
            r#"{"errors":[{"message":"x"}],"data":{"users":3}}"#,
            r#"{"data":{"users":3},"errors":[]}"#,
            r#"{"data":{"users":3,"more":4}}"#,
            r#"{"data":{"users":3}} trailing"#,
            r#"{"data":null}"#,
            r#"{"data":{"users":3}"#,
        ] {
            assert_eq!(root_field(text, value), None, "{text}");
        }
    }
}
