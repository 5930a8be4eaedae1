//! The CLI's login in the freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC…),
//! where the CLI's `auto` vault keeps it on Linux and the BSDs: `zalando/go-keyring`'s
//! `keyring_unix.go` (the CLI links it through the `Infisical/go-keyring` fork) stores an item
//! in the `login` collection with the attributes `{service: infisical-cli, username: <key>}`
//! and the value as plain bytes.
//!
//! Read-only and never interactive: a locked item is reported, not unlocked (unlocking
//! would show a prompt), and the whole exchange has one deadline.

use super::PROVIDER;
use crate::dbus::{Call, Connection, DbusError, Reader, Writer};
use crate::Env;
use infisical_core::{CredentialsError, CredentialsErrorKind};
use std::time::Duration;
use zeroize::Zeroizing;

/// The service name the CLI stores its items under (`MAIN_KEYRING_SERVICE`).
pub(super) const SERVICE: &str = "infisical-cli";

/// How long the whole lookup may take, connecting included.
pub(super) const TIMEOUT: Duration = Duration::from_secs(3);

const BUS_NAME: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_INTERFACE: &str = "org.freedesktop.Secret.Service";
/// The collection go-keyring writes to.
const LOGIN_COLLECTION: &str = "/org/freedesktop/secrets/collection/login";

/// An item found for the key.
#[derive(Debug)]
pub(super) struct Item {
    /// Its D-Bus object path, for messages.
    pub(super) path: String,
    /// Its value (the secret), zeroized when dropped.
    pub(super) value: Zeroizing<Vec<u8>>,
}

/// The item stored for `key` (the CLI's user e-mail), `None` if there is none.
pub(super) fn read(env: &dyn Env, key: &str) -> Result<Option<Item>, CredentialsError> {
    read_within(env, key, TIMEOUT)
}

/// [`read`] with its deadline.
pub(super) fn read_within(
    env: &dyn Env,
    key: &str,
    timeout: Duration,
) -> Result<Option<Item>, CredentialsError> {
    let mut bus = Connection::session_bus(env, timeout).map_err(unreachable)?;
    let session = open_plain_session(&mut bus).map_err(unreachable)?;
    let (unlocked, locked) = search(&mut bus, key).map_err(unreachable)?;
    let collections = [LOGIN_COLLECTION.to_owned(), default_collection(&mut bus)];
    let in_collections = |paths: &[String]| {
        collections
            .iter()
            .find_map(|collection| paths.iter().find(|path| is_in(path, collection)).cloned())
    };
    let Some(path) = in_collections(&unlocked) else {
        if in_collections(&locked).is_some() {
            return Err(locked_error(key));
        }
        return Ok(None);
    };
    let value = get_secret(&mut bus, &path, &session).map_err(|err| match &err {
        DbusError::Remote { name, .. } if name.ends_with(".IsLocked") => locked_error(key),
        _ => unreachable(err),
    })?;
    Ok(Some(Item { path, value }))
}

/// `OpenSession("plain", "")`: values travel unencrypted over the local bus, as they do with
/// go-keyring.
fn open_plain_session(bus: &mut Connection) -> Result<String, DbusError> {
    let mut body = Writer::default();
    body.str("plain");
    body.string_variant("");
    let answer = bus.call(&service_call("OpenSession", "sv", body))?;
    let mut reader = answer.reader();
    let _output = reader.basic_variant()?;
    Ok(reader.str()?.to_owned())
}

/// `SearchItems({service, username})`: the matching items, unlocked and locked.
fn search(bus: &mut Connection, key: &str) -> Result<(Vec<String>, Vec<String>), DbusError> {
    let mut body = Writer::default();
    body.array(8, |pairs| {
        for (name, value) in [("service", SERVICE), ("username", key)] {
            pairs.open_struct();
            pairs.str(name);
            pairs.str(value);
        }
    });
    let answer = bus.call(&service_call("SearchItems", "a{ss}", body))?;
    let mut reader = answer.reader();
    let unlocked = paths(&mut reader)?;
    let locked = paths(&mut reader)?;
    Ok((unlocked, locked))
}

/// The collection the `default` alias names (where tools such as `secret-tool` store), or
/// the login collection when there is no such alias.
fn default_collection(bus: &mut Connection) -> String {
    let mut body = Writer::default();
    body.str("default");
    bus.call(&service_call("ReadAlias", "s", body))
        .ok()
        .and_then(|answer| answer.reader().str().ok().map(str::to_owned))
        .filter(|path| path != "/")
        .unwrap_or_else(|| LOGIN_COLLECTION.to_owned())
}

/// `Item.GetSecret(session)`: the value of the `(oayays)` secret.
fn get_secret(
    bus: &mut Connection,
    item: &str,
    session: &str,
) -> Result<Zeroizing<Vec<u8>>, DbusError> {
    let mut body = Writer::default();
    body.str(session);
    let answer = bus.call(&Call {
        destination: BUS_NAME,
        path: item,
        interface: "org.freedesktop.Secret.Item",
        member: "GetSecret",
        signature: "o",
        body: body.into_bytes(),
    })?;
    let mut reader = answer.reader();
    reader.open_struct()?;
    let _session = reader.str()?;
    let _parameters = reader.bytes()?;
    Ok(Zeroizing::new(reader.bytes()?.to_vec()))
}

fn service_call(member: &'static str, signature: &'static str, body: Writer) -> Call<'static> {
    Call {
        destination: BUS_NAME,
        path: SERVICE_PATH,
        interface: SERVICE_INTERFACE,
        member,
        signature,
        body: body.into_bytes(),
    }
}

fn paths(reader: &mut Reader<'_>) -> Result<Vec<String>, DbusError> {
    Ok(reader.array(4, |r| r.str().map(str::to_owned))?)
}

fn is_in(item: &str, collection: &str) -> bool {
    item.strip_prefix(collection)
        .is_some_and(|rest| rest.starts_with('/'))
}

fn locked_error(key: &str) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::Locked,
        PROVIDER,
        format!(
            "the Infisical CLI login of {key} is in a locked OS keyring (Secret Service); \
             unlock it (log in to the desktop session, or `gnome-keyring-daemon --unlock`) \
             and try again"
        ),
    )
}

fn unreachable(err: DbusError) -> CredentialsError {
    let why = match &err {
        DbusError::Remote { name, .. } if name.ends_with(".ServiceUnknown") => {
            "no Secret Service runs on the session bus (GNOME Keyring, KWallet, KeePassXC…)"
                .to_owned()
        }
        other => other.to_string(),
    };
    CredentialsError::new(
        CredentialsErrorKind::Unavailable,
        PROVIDER,
        format!("cannot read the OS keyring, where the Infisical CLI keeps its login: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_belong_to_their_collection_only() {
        assert!(is_in(
            "/org/freedesktop/secrets/collection/login/3",
            LOGIN_COLLECTION
        ));
        assert!(!is_in(
            "/org/freedesktop/secrets/collection/login2/3",
            LOGIN_COLLECTION
        ));
        assert!(!is_in(
            "/org/freedesktop/secrets/collection/session/1",
            LOGIN_COLLECTION
        ));
    }
}
