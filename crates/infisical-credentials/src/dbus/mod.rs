//! A minimal, blocking D-Bus client: connect to the session bus, authenticate, call methods
//! and read their answers, all within one deadline. Just what reading one Secret Service item
//! needs (the specification's "Authentication Protocol", "Message Bus Specification" and
//! "Server Addresses" sections); a full D-Bus library (zbus) would add some 80 s of CPU to
//! every user's build (see docs/performance.md).

mod address;
mod message;
mod wire;

pub(crate) use message::Call;
pub(crate) use wire::{Reader, Writer};

use crate::Env;
use message::{Kind, Message, FIXED_HEADER};
use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// Why a D-Bus exchange failed. Never holds a value read from a secret.
#[derive(Debug)]
pub(crate) enum DbusError {
    /// No session bus: no address, or nothing listening there.
    NoBus(String),
    /// The bus or the service did not answer before the deadline.
    TimedOut,
    /// Reading or writing the connection failed.
    Io(io::Error),
    /// The bus refused to authenticate us.
    Refused(String),
    /// A message broke the format.
    Malformed(wire::Malformed),
    /// The service answered with a D-Bus error (`name`: `org.freedesktop.DBus.Error.…`).
    Remote {
        /// The error's name.
        name: String,
        /// Its message, cut to a few hundred characters.
        message: String,
    },
}

impl fmt::Display for DbusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoBus(why) => write!(f, "no D-Bus session bus: {why}"),
            Self::TimedOut => f.write_str("D-Bus did not answer in time"),
            Self::Io(err) => write!(f, "D-Bus connection failed: {err}"),
            Self::Refused(line) => write!(f, "the D-Bus session bus refused us: {line}"),
            Self::Malformed(err) => err.fmt(f),
            Self::Remote { name, message } => write!(f, "{name}: {message}"),
        }
    }
}

impl From<io::Error> for DbusError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            ErrorKind::WouldBlock | ErrorKind::TimedOut => Self::TimedOut,
            _ => Self::Io(err),
        }
    }
}

impl From<wire::Malformed> for DbusError {
    fn from(err: wire::Malformed) -> Self {
        Self::Malformed(err)
    }
}

/// An authenticated connection to the session bus. Every read and write shares one deadline.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: UnixStream,
    serial: u32,
    deadline: Instant,
}

impl Connection {
    /// Connects to the session bus `env` names (`DBUS_SESSION_BUS_ADDRESS`, else
    /// `$XDG_RUNTIME_DIR/bus`), authenticates and says hello, all within `timeout`; later calls
    /// share what is left of it.
    pub(crate) fn session_bus(env: &dyn Env, timeout: Duration) -> Result<Self, DbusError> {
        let deadline = Instant::now()
            .checked_add(timeout)
            .ok_or(DbusError::TimedOut)?;
        let stream = address::connect_session_bus(env)?;
        let mut connection = Self {
            stream,
            serial: 0,
            deadline,
        };
        connection.authenticate()?;
        connection.call(&Call::hello())?;
        Ok(connection)
    }

    /// Calls a method and returns its answer; a D-Bus error answer is [`DbusError::Remote`].
    pub(crate) fn call(&mut self, call: &Call<'_>) -> Result<Message, DbusError> {
        self.serial = self.serial.wrapping_add(1).max(1);
        let serial = self.serial;
        self.arm()?;
        self.stream.write_all(&call.encode(serial))?;
        loop {
            let message = self.read_message()?;
            if message.reply_serial != Some(serial) {
                continue; // a signal (NameAcquired, ...) or an answer to someone else
            }
            return match &message.kind {
                Kind::Return => Ok(message),
                Kind::Error(name) => Err(DbusError::Remote {
                    name: name.clone(),
                    message: error_text(&message),
                }),
                Kind::Other => continue,
            };
        }
    }

    /// The SASL exchange: `EXTERNAL`, which the bus checks against the socket's peer
    /// credentials; then `BEGIN`.
    fn authenticate(&mut self) -> Result<(), DbusError> {
        self.arm()?;
        let initial = match own_uid() {
            Some(uid) => format!(" {}", hex(uid.to_string().as_bytes())),
            None => String::new(),
        };
        self.stream
            .write_all(format!("\0AUTH EXTERNAL{initial}\r\n").as_bytes())?;
        let mut line = self.read_line()?;
        if line.starts_with("DATA") {
            self.stream.write_all(b"DATA\r\n")?;
            line = self.read_line()?;
        }
        if !line.starts_with("OK ") {
            return Err(DbusError::Refused(line.chars().take(200).collect()));
        }
        self.stream.write_all(b"BEGIN\r\n")?;
        Ok(())
    }

    /// One line of the SASL exchange, without its `\r\n`; at most 512 bytes.
    fn read_line(&mut self) -> Result<String, DbusError> {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\r\n") {
            if line.len() > 512 {
                return Err(DbusError::Refused("an overlong line".into()));
            }
            self.arm()?;
            if self.stream.read(&mut byte)? == 0 {
                return Err(DbusError::Io(ErrorKind::UnexpectedEof.into()));
            }
            line.extend_from_slice(&byte);
        }
        line.truncate(line.len().saturating_sub(2));
        Ok(String::from_utf8_lossy(&line).into_owned())
    }

    fn read_message(&mut self) -> Result<Message, DbusError> {
        let mut fixed = [0u8; FIXED_HEADER];
        self.arm()?;
        self.stream.read_exact(&mut fixed)?;
        let mut bytes = fixed.to_vec();
        bytes.resize(
            FIXED_HEADER.saturating_add(message::remaining_len(&fixed)?),
            0,
        );
        self.arm()?;
        self.stream
            .read_exact(bytes.get_mut(FIXED_HEADER..).unwrap_or_default())?;
        Ok(message::decode(&bytes)?)
    }

    /// Sets the socket's timeouts to what is left before the deadline.
    fn arm(&self) -> Result<(), DbusError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(DbusError::TimedOut);
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.set_write_timeout(Some(left))?;
        Ok(())
    }
}

/// The text of an error answer: its first argument when that is a string.
fn error_text(message: &Message) -> String {
    if !message.signature.starts_with('s') {
        return String::new();
    }
    message
        .reader()
        .str()
        .map(|text| text.chars().take(300).collect())
        .unwrap_or_default()
}

/// The process's user id, which `EXTERNAL` names; read from `/proc/self` (this crate has no
/// `unsafe` for `getuid`). `None` elsewhere: the bus then takes it from the socket.
fn own_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").ok().map(|meta| meta.uid())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes a whole message, and the Secret Service answers this crate reads, from any
/// bytes: the fuzz target `dbus_message`. Never panics.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn fuzz_decode(data: &[u8]) {
    if let Some(fixed) = data.get(..FIXED_HEADER) {
        if let Ok(fixed) = <[u8; FIXED_HEADER]>::try_from(fixed) {
            let _ = message::remaining_len(&fixed);
        }
    }
    if let Ok(message) = message::decode(data) {
        let _ = error_text(&message);
        let mut paths = message.reader();
        let _ = paths.array(4, |r| r.str().map(str::len));
        let _ = paths.array(4, |r| r.str().map(str::len));
        let mut secret = message.reader();
        let _ = secret.open_struct().and_then(|()| {
            secret.str()?;
            secret.bytes()?;
            secret.bytes()
        });
        let _ = message.reader().basic_variant();
    }
}

/// A Secret Service `GetSecret` answer, as a bus delivers it: a method return (serial 7,
/// answering call 3) whose body is the `(oayays)` secret `hi`.
#[cfg(test)]
pub(crate) fn sample_secret_answer() -> Vec<u8> {
    let mut body = Writer::default();
    body.open_struct();
    body.str("/s");
    body.array(1, |_| {});
    body.array(1, |w| {
        w.byte(b'h');
        w.byte(b'i');
    });
    body.str("text/plain");
    let body = body.into_bytes();
    let mut header = Writer::default();
    for b in [b'l', 2, 0, 1] {
        header.byte(b);
    }
    header.u32(u32::try_from(body.len()).unwrap());
    header.u32(7);
    header.array(8, |fields| {
        fields.open_struct();
        fields.byte(5);
        fields.signature("u");
        fields.u32(3);
        fields.open_struct();
        fields.byte(8);
        fields.signature("g");
        fields.signature("(oayays)");
    });
    header.pad(8);
    let mut message = header.into_bytes();
    message.extend_from_slice(&body);
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticEnv;

    #[test]
    fn a_get_secret_answer_decodes_to_its_value() {
        let message = message::decode(&sample_secret_answer()).unwrap();
        assert_eq!(message.kind, Kind::Return);
        assert_eq!(message.reply_serial, Some(3));
        assert_eq!(message.signature, "(oayays)");
        let mut r = message.reader();
        r.open_struct().unwrap();
        assert_eq!(r.str().unwrap(), "/s");
        assert!(r.bytes().unwrap().is_empty());
        assert_eq!(r.bytes().unwrap(), b"hi");
        assert_eq!(r.str().unwrap(), "text/plain");
    }
    use std::io::BufRead;
    use std::os::unix::net::UnixListener;
    use std::path::PathBuf;

    /// A hostile "bus" on a socket of its own: it authenticates whoever comes, then does
    /// what `after_auth` says with the connection. The socket's folder is removed when the
    /// first value is dropped.
    fn hostile_bus(
        name: &str,
        auth_reply: &'static [u8],
        after_auth: impl FnOnce(UnixStream) + Send + 'static,
    ) -> (tempfile::TempDir, PathBuf, std::thread::JoinHandle<()>) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("infisical-dbus-{name}-"))
            .tempdir()
            .unwrap();
        let socket = dir.path().join("bus");
        let listener = UnixListener::bind(&socket).unwrap();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut line = Vec::new();
            reader.read_until(b'\n', &mut line).unwrap();
            (&stream).write_all(auth_reply).unwrap();
            if auth_reply.starts_with(b"OK") {
                line.clear();
                reader.read_until(b'\n', &mut line).unwrap(); // BEGIN
                after_auth(stream);
            }
        });
        (dir, socket, server)
    }

    fn connect(socket: &std::path::Path, timeout: Duration) -> Result<Connection, DbusError> {
        let env = StaticEnv::new().set(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", socket.display()),
        );
        Connection::session_bus(&env, timeout)
    }

    #[test]
    fn a_bus_that_never_answers_times_out_at_the_deadline() {
        let (_dir, socket, server) = hostile_bus("silent", b"OK 0123456789abcdef\r\n", |stream| {
            std::thread::sleep(Duration::from_millis(1500));
            drop(stream);
        });
        let started = Instant::now();
        let err = connect(&socket, Duration::from_millis(300)).unwrap_err();
        assert!(matches!(err, DbusError::TimedOut), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        server.join().unwrap();
    }

    #[test]
    fn a_huge_declared_length_is_refused_without_reading_it() {
        let (_dir, socket, server) =
            hostile_bus("huge", b"OK 0123456789abcdef\r\n", |mut stream| {
                // A method return whose body claims 2 GiB.
                let mut fixed = vec![b'l', 2, 0, 1];
                fixed.extend_from_slice(&0x8000_0000u32.to_le_bytes());
                fixed.extend_from_slice(&1u32.to_le_bytes());
                fixed.extend_from_slice(&0u32.to_le_bytes());
                let _ = stream.write_all(&fixed);
                std::thread::sleep(Duration::from_millis(200));
            });
        let err = connect(&socket, Duration::from_secs(2)).unwrap_err();
        assert!(matches!(err, DbusError::Malformed(_)), "{err}");
        server.join().unwrap();
    }

    #[test]
    fn a_refused_authentication_is_refused() {
        let (_dir, socket, server) = hostile_bus("refuse", b"REJECTED EXTERNAL\r\n", |_| {});
        let err = connect(&socket, Duration::from_secs(2)).unwrap_err();
        assert!(
            matches!(err, DbusError::Refused(ref line) if line.contains("REJECTED")),
            "{err}"
        );
        server.join().unwrap();
    }
}
