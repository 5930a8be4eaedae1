//! Finding the session bus: `DBUS_SESSION_BUS_ADDRESS` (the specification's "Server
//! Addresses": `;`-separated entries such as `unix:path=/run/user/1000/bus,guid=…` or
//! `unix:abstract=/tmp/dbus-…`, values %-escaped), else `$XDG_RUNTIME_DIR/bus`, as sd-bus and
//! godbus (the CLI's library) look. Nothing is launched.

use super::DbusError;
use crate::Env;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

/// Where a session bus listens.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A socket file.
    Path(PathBuf),
    /// A Linux abstract socket name.
    Abstract(Vec<u8>),
}

/// Connects to the first reachable entry of the session bus address.
pub(super) fn connect_session_bus(env: &dyn Env) -> Result<UnixStream, DbusError> {
    let (address, targets) = match env.non_empty("DBUS_SESSION_BUS_ADDRESS") {
        Some(address) => {
            let targets = parse(&address);
            (address, targets)
        }
        None => {
            let dir = env.non_empty("XDG_RUNTIME_DIR").ok_or_else(|| {
                DbusError::NoBus(
                    "neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set".into(),
                )
            })?;
            let path = PathBuf::from(dir).join("bus");
            (path.display().to_string(), vec![Target::Path(path)])
        }
    };
    let mut last = None;
    for target in &targets {
        match connect(target) {
            Ok(stream) => return Ok(stream),
            Err(err) => last = Some(err),
        }
    }
    Err(DbusError::NoBus(match last {
        Some(err) => format!("cannot connect to {address}: {err}"),
        None => format!("no Unix socket in the address {address:?}"),
    }))
}

fn connect(target: &Target) -> std::io::Result<UnixStream> {
    match target {
        Target::Path(path) => UnixStream::connect(path),
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Target::Abstract(name) => {
            #[cfg(target_os = "android")]
            use std::os::android::net::SocketAddrExt;
            #[cfg(target_os = "linux")]
            use std::os::linux::net::SocketAddrExt;
            let address = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
            UnixStream::connect_addr(&address)
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        Target::Abstract(_) => Err(std::io::ErrorKind::Unsupported.into()),
    }
}

/// The Unix-socket entries of an address, in order; other transports are skipped.
fn parse(address: &str) -> Vec<Target> {
    address
        .split(';')
        .filter_map(|entry| {
            let params = entry.strip_prefix("unix:")?;
            params.split(',').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                let value = unescape(value)?;
                match key {
                    "path" => Some(Target::Path(PathBuf::from(String::from_utf8(value).ok()?))),
                    "abstract" => Some(Target::Abstract(value)),
                    _ => None,
                }
            })
        })
        .collect()
}

/// Undoes the address's `%XX` escapes; `None` for a broken escape.
fn unescape(value: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let digits = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(digits, 16).ok()?);
            rest = tail.get(2..)?;
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticEnv;

    #[test]
    fn parses_paths_abstract_names_and_escapes_skipping_other_transports() {
        assert_eq!(
            parse("tcp:host=localhost,port=1;unix:path=/run/user/1000/bus,guid=abc;unix:abstract=/tmp/dbus-%41b"),
            vec![
                Target::Path("/run/user/1000/bus".into()),
                Target::Abstract(b"/tmp/dbus-Ab".to_vec()),
            ]
        );
        assert_eq!(
            parse("unix:guid=1,path=/a%2cb"),
            vec![Target::Path("/a,b".into())]
        );
        assert!(parse("unix:path=/a%2").is_empty(), "a broken escape");
        assert!(
            parse("unix:tmpdir=/tmp").is_empty(),
            "a server-only address"
        );
        assert!(parse("").is_empty());
    }

    #[test]
    fn no_address_and_no_runtime_dir_is_no_bus() {
        let err = connect_session_bus(&StaticEnv::new()).unwrap_err();
        assert!(matches!(err, DbusError::NoBus(_)), "{err}");
    }

    #[test]
    fn nothing_listening_is_no_bus_naming_the_address() {
        let env = StaticEnv::new().set("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
        let err = connect_session_bus(&env).unwrap_err();
        assert!(matches!(err, DbusError::NoBus(_)), "{err}");
        assert!(err.to_string().contains("/nonexistent/bus"), "{err}");
    }
}
