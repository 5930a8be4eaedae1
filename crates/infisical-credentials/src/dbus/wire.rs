//! The D-Bus wire format (the specification's "Marshaling" section), for the few types the
//! Secret Service lookup sends and reads: bytes, `u32`, strings, object paths, signatures,
//! arrays, structs and variants of basic types. Writes little-endian; reads both orders.
//! Alignment is relative to the start of the buffer, which is where a header or a body
//! (8-aligned in its message) begins. Reading never panics: every length is checked.

use std::fmt;

/// A value read from the wire that does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed(pub(crate) &'static str);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed D-Bus message: {}", self.0)
    }
}

/// Marshals values into a buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// The bytes written so far.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Pads with zeros to a multiple of `align`.
    pub(crate) fn pad(&mut self, align: usize) {
        while self
            .buf
            .len()
            .checked_rem(align)
            .is_some_and(|rest| rest != 0)
        {
            self.buf.push(0);
        }
    }

    /// A `BYTE` (`y`).
    pub(crate) fn byte(&mut self, value: u8) {
        self.buf.push(value);
    }

    /// A `UINT32` (`u`).
    pub(crate) fn u32(&mut self, value: u32) {
        self.pad(4);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    /// A `STRING` (`s`) or an `OBJECT_PATH` (`o`). Lengths come from our own short names.
    pub(crate) fn str(&mut self, value: &str) {
        self.u32(u32::try_from(value.len()).unwrap_or(u32::MAX));
        self.buf.extend_from_slice(value.as_bytes());
        self.buf.push(0);
    }

    /// A `SIGNATURE` (`g`): at most 255 bytes, which our own signatures are.
    pub(crate) fn signature(&mut self, value: &str) {
        self.buf.push(u8::try_from(value.len()).unwrap_or(u8::MAX));
        self.buf.extend_from_slice(value.as_bytes());
        self.buf.push(0);
    }

    /// A `VARIANT` (`v`) holding a string.
    pub(crate) fn string_variant(&mut self, value: &str) {
        self.signature("s");
        self.str(value);
    }

    /// An `ARRAY` whose elements (aligned to `element_align`) `elements` writes.
    pub(crate) fn array(&mut self, element_align: usize, elements: impl FnOnce(&mut Self)) {
        self.u32(0);
        let length_at = self.buf.len().saturating_sub(4);
        self.pad(element_align);
        let start = self.buf.len();
        elements(self);
        let length = u32::try_from(self.buf.len().saturating_sub(start)).unwrap_or(u32::MAX);
        if let Some(slot) = self.buf.get_mut(length_at..length_at.saturating_add(4)) {
            slot.copy_from_slice(&length.to_le_bytes());
        }
    }

    /// The start of a `STRUCT` or a `DICT_ENTRY`: 8-aligned.
    pub(crate) fn open_struct(&mut self) {
        self.pad(8);
    }
}

/// Unmarshals values from a buffer, in the byte order the message declares.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    big_endian: bool,
}

type Read<T> = Result<T, Malformed>;

impl<'a> Reader<'a> {
    /// Reads `buf`, which starts 8-aligned in its message.
    pub(crate) fn new(buf: &'a [u8], big_endian: bool) -> Self {
        Self {
            buf,
            pos: 0,
            big_endian,
        }
    }

    /// Whether everything has been read.
    #[cfg(test)]
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Skips the padding up to a multiple of `align`.
    pub(crate) fn align(&mut self, align: usize) -> Read<()> {
        let rest = self.pos.checked_rem(align).unwrap_or(0);
        if rest != 0 {
            self.take(align.saturating_sub(rest))?;
        }
        Ok(())
    }

    fn take(&mut self, len: usize) -> Read<&'a [u8]> {
        let end = self
            .pos
            .checked_add(len)
            .ok_or(Malformed("a length overflows"))?;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(Malformed("a value runs past the end"))?;
        self.pos = end;
        Ok(bytes)
    }

    /// Everything not read yet.
    pub(crate) fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        rest
    }

    /// A `BYTE`.
    pub(crate) fn byte(&mut self) -> Read<u8> {
        self.take(1)?
            .first()
            .copied()
            .ok_or(Malformed("a byte is missing"))
    }

    /// A `UINT32`.
    pub(crate) fn u32(&mut self) -> Read<u32> {
        self.align(4)?;
        let bytes: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| Malformed("a number is cut short"))?;
        Ok(if self.big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    }

    /// A `STRING` or an `OBJECT_PATH`.
    pub(crate) fn str(&mut self) -> Read<&'a str> {
        let len = usize::try_from(self.u32()?).map_err(|_| Malformed("a string is too long"))?;
        self.text(len)
    }

    /// A `SIGNATURE`.
    pub(crate) fn signature(&mut self) -> Read<&'a str> {
        let len = usize::from(self.byte()?);
        self.text(len)
    }

    fn text(&mut self, len: usize) -> Read<&'a str> {
        let bytes = self.take(len)?;
        if self.byte()? != 0 {
            return Err(Malformed("a string is not nul-terminated"));
        }
        std::str::from_utf8(bytes).map_err(|_| Malformed("a string is not UTF-8"))
    }

    /// An `ARRAY OF BYTE` (`ay`).
    pub(crate) fn bytes(&mut self) -> Read<&'a [u8]> {
        let len = usize::try_from(self.u32()?).map_err(|_| Malformed("an array is too long"))?;
        self.take(len)
    }

    /// An `ARRAY` of elements aligned to `element_align`, each read by `element`.
    pub(crate) fn array<T>(
        &mut self,
        element_align: usize,
        mut element: impl FnMut(&mut Self) -> Read<T>,
    ) -> Read<Vec<T>> {
        let len = usize::try_from(self.u32()?).map_err(|_| Malformed("an array is too long"))?;
        self.align(element_align)?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|end| *end <= self.buf.len())
            .ok_or(Malformed("an array runs past the end"))?;
        let mut items = Vec::new();
        while self.pos < end {
            items.push(element(self)?);
        }
        if self.pos != end {
            return Err(Malformed("an array's elements overrun its length"));
        }
        Ok(items)
    }

    /// A `VARIANT` holding a basic value; strings, paths and signatures are returned, a
    /// number is read and reported as `None`.
    pub(crate) fn basic_variant(&mut self) -> Read<Option<&'a str>> {
        match self.signature()? {
            "s" | "o" => self.str().map(Some),
            "g" => self.signature().map(Some),
            "u" => self.u32().map(|_| None),
            _ => Err(Malformed("a variant holds an unexpected type")),
        }
    }

    /// The start of a `STRUCT` or a `DICT_ENTRY`.
    pub(crate) fn open_struct(&mut self) -> Read<()> {
        self.align(8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_arrays_and_structs_round_trip_with_their_padding() {
        let mut w = Writer::default();
        w.byte(7);
        w.str("héllo");
        w.array(8, |w| {
            for (k, v) in [("service", "infisical-cli"), ("username", "a@b")] {
                w.open_struct();
                w.str(k);
                w.str(v);
            }
        });
        w.string_variant("");
        let bytes = w.into_bytes();
        // byte, 3 pad, length 6 + "héllo" + nul: the array length starts at 16.
        assert_eq!(&bytes[4..8], &6u32.to_le_bytes());
        let mut r = Reader::new(&bytes, false);
        assert_eq!(r.byte().unwrap(), 7);
        assert_eq!(r.str().unwrap(), "héllo");
        let pairs = r
            .array(8, |r| {
                r.open_struct()?;
                Ok((r.str()?.to_owned(), r.str()?.to_owned()))
            })
            .unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[1], ("username".into(), "a@b".into()));
        assert_eq!(r.basic_variant().unwrap(), Some(""));
        assert!(r.at_end());
    }

    #[test]
    fn an_empty_array_still_pads_to_its_elements() {
        let mut w = Writer::default();
        w.array(8, |_| {});
        assert_eq!(w.into_bytes(), vec![0, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn big_endian_numbers_are_read() {
        let mut r = Reader::new(&[0, 0, 1, 2], true);
        assert_eq!(r.u32().unwrap(), 258);
    }

    #[test]
    fn every_truncation_and_lie_is_an_error_not_a_panic() {
        let mut w = Writer::default();
        w.str("object");
        w.array(4, |w| w.str("/a"));
        let bytes = w.into_bytes();
        for cut in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..cut], false);
            let read = r.str().and_then(|_| r.array(4, |r| r.str().map(str::len)));
            assert!(read.is_err(), "cut at {cut}");
        }
        // A length far past the end, a missing nul, invalid UTF-8, an unknown variant.
        for bad in [
            &[0xff, 0xff, 0xff, 0xff, 0][..],
            &[1, 0, 0, 0, b'a', b'b'],
            &[1, 0, 0, 0, 0xff, 0],
        ] {
            assert!(Reader::new(bad, false).str().is_err());
            assert!(Reader::new(bad, false).array(4, |r| r.u32()).is_err());
        }
        assert!(Reader::new(&[1, b'x', 0, 0], false)
            .basic_variant()
            .is_err());
    }
}
