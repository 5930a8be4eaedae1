//! D-Bus messages: encoding a method call, decoding what comes back (the specification's
//! "Message Format" section).

use super::wire::{Malformed, Reader, Writer};

/// The largest message read. The Secret Service's answers here are a few hundred bytes; the
/// limit keeps a hostile peer from making us allocate without bound.
pub(crate) const MAX_MESSAGE: usize = 1024 * 1024;

/// A method call.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    /// The bus name of the service.
    pub(crate) destination: &'a str,
    /// The object.
    pub(crate) path: &'a str,
    /// The interface of the method.
    pub(crate) interface: &'a str,
    /// The method.
    pub(crate) member: &'a str,
    /// The body's signature (empty for no arguments).
    pub(crate) signature: &'a str,
    /// The marshalled arguments.
    pub(crate) body: Vec<u8>,
}

impl Call<'static> {
    /// The bus's `Hello`, the first call on every connection.
    pub(crate) fn hello() -> Self {
        Call {
            destination: "org.freedesktop.DBus",
            path: "/org/freedesktop/DBus",
            interface: "org.freedesktop.DBus",
            member: "Hello",
            signature: "",
            body: Vec::new(),
        }
    }
}

impl Call<'_> {
    /// The whole message, with `serial`.
    pub(crate) fn encode(&self, serial: u32) -> Vec<u8> {
        let mut header = Writer::default();
        header.byte(b'l');
        header.byte(METHOD_CALL);
        header.byte(0);
        header.byte(1);
        header.u32(u32::try_from(self.body.len()).unwrap_or(u32::MAX));
        header.u32(serial);
        header.array(8, |fields| {
            let mut field = |code: u8, signature: &str, value: &str| {
                fields.open_struct();
                fields.byte(code);
                fields.signature(signature);
                match signature {
                    "g" => fields.signature(value),
                    _ => fields.str(value),
                }
            };
            field(PATH, "o", self.path);
            field(INTERFACE, "s", self.interface);
            field(MEMBER, "s", self.member);
            field(DESTINATION, "s", self.destination);
            if !self.signature.is_empty() {
                field(SIGNATURE, "g", self.signature);
            }
        });
        header.pad(8);
        let mut message = header.into_bytes();
        message.extend_from_slice(&self.body);
        message
    }
}

const METHOD_CALL: u8 = 1;
const METHOD_RETURN: u8 = 2;
const ERROR: u8 = 3;

const PATH: u8 = 1;
const INTERFACE: u8 = 2;
const MEMBER: u8 = 3;
const ERROR_NAME: u8 = 4;
const REPLY_SERIAL: u8 = 5;
const DESTINATION: u8 = 6;
const SIGNATURE: u8 = 8;

/// The fixed start of every message: byte order, type, flags, version, body length, serial,
/// and the header fields' array length.
pub(crate) const FIXED_HEADER: usize = 16;

/// What a received message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A method's answer.
    Return,
    /// A method's error, with its name (`org.freedesktop.DBus.Error.ServiceUnknown`, ...).
    Error(String),
    /// A signal or a call to us: not an answer.
    Other,
}

/// A received message.
#[derive(Debug)]
pub(crate) struct Message {
    /// Its type.
    pub(crate) kind: Kind,
    /// The serial of the call it answers.
    pub(crate) reply_serial: Option<u32>,
    /// Its body's signature.
    pub(crate) signature: String,
    /// Its body.
    pub(crate) body: Vec<u8>,
    /// Whether it is big-endian.
    pub(crate) big_endian: bool,
}

impl Message {
    /// A reader of the body.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader::new(&self.body, self.big_endian)
    }
}

/// The length of the rest of a message (header fields, padding and body) from its fixed
/// start; fails on an unknown byte order or a message over [`MAX_MESSAGE`].
pub(crate) fn remaining_len(fixed: &[u8; FIXED_HEADER]) -> Result<usize, Malformed> {
    let big_endian = byte_order(fixed[0])?;
    let mut reader = Reader::new(fixed, big_endian);
    let _ = (
        reader.byte()?,
        reader.byte()?,
        reader.byte()?,
        reader.byte()?,
    );
    let body = reader.u32()?;
    let _serial = reader.u32()?;
    let fields = reader.u32()?;
    let fields_end = u64::from(fields).saturating_add(FIXED_HEADER as u64);
    let total = fields_end
        .saturating_add(fields_end.wrapping_neg() % 8)
        .saturating_add(u64::from(body));
    usize::try_from(total)
        .ok()
        .filter(|total| *total <= MAX_MESSAGE)
        .and_then(|total| total.checked_sub(FIXED_HEADER))
        .ok_or(Malformed("a message is larger than this client accepts"))
}

/// Decodes a whole message (its fixed start included).
pub(crate) fn decode(bytes: &[u8]) -> Result<Message, Malformed> {
    let big_endian = byte_order(*bytes.first().ok_or(Malformed("empty message"))?)?;
    let mut reader = Reader::new(bytes, big_endian);
    let _order = reader.byte()?;
    let message_type = reader.byte()?;
    let _flags = reader.byte()?;
    if reader.byte()? != 1 {
        return Err(Malformed("unknown protocol version"));
    }
    let body_len = usize::try_from(reader.u32()?).map_err(|_| Malformed("body too long"))?;
    let _serial = reader.u32()?;
    let (mut error_name, mut reply_serial, mut signature) = (None, None, String::new());
    reader.array(8, |field| {
        field.open_struct()?;
        let code = field.byte()?;
        match (code, field.signature()?) {
            (REPLY_SERIAL, "u") => reply_serial = Some(field.u32()?),
            (ERROR_NAME, "s") => error_name = Some(field.str()?.to_owned()),
            (SIGNATURE, "g") => signature = field.signature()?.to_owned(),
            (_, "s" | "o") => drop(field.str()?),
            (_, "g") => drop(field.signature()?),
            (_, "u") => drop(field.u32()?),
            _ => return Err(Malformed("a header field has an unexpected type")),
        }
        Ok(())
    })?;
    reader.align(8)?;
    let body = reader.take_rest();
    if body.len() != body_len {
        return Err(Malformed("the body's length is not the declared one"));
    }
    let kind = match message_type {
        METHOD_RETURN => Kind::Return,
        ERROR => Kind::Error(error_name.unwrap_or_default()),
        _ => Kind::Other,
    };
    Ok(Message {
        kind,
        reply_serial,
        signature,
        body: body.to_vec(),
        big_endian,
    })
}

fn byte_order(mark: u8) -> Result<bool, Malformed> {
    match mark {
        b'l' => Ok(false),
        b'B' => Ok(true),
        _ => Err(Malformed("unknown byte order")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> Call<'static> {
        Call::hello()
    }

    #[test]
    fn a_call_decodes_as_what_it_encoded() {
        let mut body = Writer::default();
        body.str("plain");
        let call = Call {
            signature: "s",
            body: body.into_bytes(),
            ..hello()
        };
        let bytes = call.encode(7);
        let fixed: [u8; FIXED_HEADER] = bytes[..FIXED_HEADER].try_into().unwrap();
        assert_eq!(remaining_len(&fixed).unwrap() + FIXED_HEADER, bytes.len());
        let message = decode(&bytes).unwrap();
        assert_eq!(message.kind, Kind::Other, "a call is no answer");
        assert_eq!(message.signature, "s");
        assert_eq!(message.reader().str().unwrap(), "plain");
    }

    #[test]
    fn a_call_without_arguments_has_no_signature_field() {
        let bytes = hello().encode(1);
        assert_eq!(bytes.len() % 8, 0);
        assert_eq!(decode(&bytes).unwrap().signature, "");
    }

    #[test]
    fn oversized_and_foreign_messages_are_refused() {
        let mut fixed = [0u8; FIXED_HEADER];
        fixed[0] = b'l';
        fixed[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(remaining_len(&fixed).is_err());
        fixed[0] = b'x';
        assert!(remaining_len(&fixed).is_err());
        let bytes = hello().encode(1);
        for cut in 0..bytes.len() {
            let _ = decode(&bytes[..cut]);
        }
    }
}
