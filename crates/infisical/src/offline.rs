//! The offline copy: the last good answers of secret reads, kept encrypted on disk, served
//! when Infisical cannot be reached (feature `offline`).
//!
//! ```no_run
//! use infisical::offline::{OfflineCopy, OfflineKey};
//! use std::time::Duration;
//!
//! # fn run() -> Result<(), infisical::Error> {
//! // 32 random bytes, kept where the service keeps its other keys (base64 here).
//! let key = OfflineKey::from_base64(&std::env::var("OFFLINE_KEY").unwrap_or_default())?;
//! let client = infisical::Client::builder()
//!     .offline_copy(
//!         OfflineCopy::new("/var/lib/my-service/infisical.offline", key)
//!             .max_age(Duration::from_secs(24 * 3600)),
//!     )
//!     .build()?;
//! # drop(client); Ok(()) }
//! ```
//!
//! - Every successful `list` and `get` of secrets is remembered under its request (every
//!   parameter), and the file is rewritten when an answer changed (or, unchanged, once a
//!   quarter of the maximum age has passed, to keep its age true): encrypted and
//!   authenticated with ChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`, pure Rust),
//!   mode `0600`, replaced atomically (a temporary file renamed over it).
//! - When a read fails because the server cannot be reached or fails (connection
//!   failures, timeouts, 408, 429, 5xx — the cases the cache serves stale answers for, a
//!   login included), the remembered answer is served if it is at most `max_age` old,
//!   marked [`Freshness::Offline`](crate::secrets::Freshness) with its age. Never after a
//!   401, a 403 or a rejected login: a revoked identity loses access.
//! - A file that is not an offline copy, was made with another key or was changed is an
//!   [`Error::OfflineCopy`](crate::Error) (kind `Tampered`), never used and never a panic;
//!   the next successful read replaces it.

use crate::secrets::Freshness;
use crate::Error;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use infisical_core::{OfflineCopyError, OfflineCopyErrorKind, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

/// The first bytes of every offline copy, also authenticated with the content.
const MAGIC: &[u8] = b"infisical-rs offline copy v1\n";
const NONCE_LEN: usize = 12;

/// The key of an offline copy: 32 bytes. `Debug` never shows it; dropped, it is wiped.
#[derive(Clone)]
pub struct OfflineKey(Zeroizing<[u8; 32]>);

impl OfflineKey {
    /// These 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// 32 bytes in standard base64 (what [`to_base64`](OfflineKey::to_base64) writes).
    /// Anything else is an `Error::Config` that never quotes the text.
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        use base64::Engine;
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| Error::Config("the offline copy's key is not base64".into()))?,
        );
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
            Error::Config(format!(
                "the offline copy's key is {} bytes, not 32",
                bytes.len()
            ))
        })?;
        Ok(Self::from_bytes(key))
    }

    /// A new random key, from the operating system's generator.
    pub fn generate() -> Self {
        let key = ChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        Self::from_bytes(bytes)
    }

    /// The key in standard base64, to store it.
    pub fn to_base64(&self) -> Zeroizing<String> {
        use base64::Engine;
        Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(*self.0))
    }
}

impl fmt::Debug for OfflineKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OfflineKey([REDACTED])")
    }
}

/// Where and how the client keeps its offline copy; give it to
/// [`ClientBuilder::offline_copy`](crate::ClientBuilder::offline_copy).
#[derive(Clone, Debug)]
pub struct OfflineCopy {
    path: PathBuf,
    key: OfflineKey,
    max_age: Duration,
}

impl OfflineCopy {
    /// An offline copy in the file at `path` (its folder is created if missing), encrypted
    /// with `key`, served up to a day old.
    pub fn new(path: impl Into<PathBuf>, key: OfflineKey) -> Self {
        Self {
            path: path.into(),
            key,
            max_age: Duration::from_secs(24 * 3600),
        }
    }

    /// The oldest answer served (default a day): older, the server's failure is returned.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }
}

/// One remembered answer.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    /// When the server gave it, in milliseconds since the Unix epoch.
    stored_at_ms: u64,
    /// The answer, as JSON text (wiped when dropped).
    body: SecretString,
}

#[derive(Default, Serialize, Deserialize)]
struct Contents {
    entries: BTreeMap<String, Entry>,
}

/// The offline copy of one client.
pub(crate) struct OfflineStore {
    config: OfflineCopy,
    /// What the file holds, once read (or written) by this process.
    memory: tokio::sync::Mutex<Option<Contents>>,
}

impl OfflineStore {
    pub(crate) fn new(config: OfflineCopy) -> Self {
        Self {
            config,
            memory: tokio::sync::Mutex::new(None),
        }
    }

    /// Remembers a live answer under `key`, rewriting the file if it changed. A failure to
    /// write is logged, never returned: the live answer matters more.
    pub(crate) async fn remember<T: Serialize>(&self, key: String, value: &T) {
        let Ok(body) = serde_json::to_string(value).map(SecretString::from) else {
            return;
        };
        let mut memory = self.memory.lock().await;
        let contents = match memory.take() {
            Some(contents) => contents,
            None => match self.read().await {
                Ok(contents) => contents,
                Err(error) => {
                    tracing::warn!(%error, "replacing an offline copy that cannot be used");
                    Contents::default()
                }
            },
        };
        let contents = memory.insert(contents);
        let now = now_ms();
        // An unchanged answer is written again only once a quarter of the maximum age has
        // passed, so that its age on disk stays close to the truth without a write per read.
        let refresh_after =
            u64::try_from((self.config.max_age / 4).as_millis()).unwrap_or(u64::MAX);
        let fresh_enough = contents.entries.get(&key).is_some_and(|e| {
            e.body.expose() == body.expose() && now.saturating_sub(e.stored_at_ms) <= refresh_after
        });
        if fresh_enough {
            return;
        }
        contents.entries.insert(
            key,
            Entry {
                stored_at_ms: now,
                body,
            },
        );
        if let Err(error) = self.write(contents).await {
            tracing::warn!(%error, "cannot write the offline copy");
        }
    }

    /// A live answer is remembered; a failure of the server (as the cache judges it) is
    /// replaced by the remembered answer when there is one young enough; anything else
    /// passes through.
    pub(crate) async fn serve<T>(
        &self,
        key: impl FnOnce() -> Option<String>,
        answer: Result<T, Error>,
    ) -> Result<T, Error>
    where
        T: crate::cache::Fresh + Serialize + DeserializeOwned,
    {
        match answer {
            Ok(value) => {
                if value.freshness() == Freshness::Live {
                    if let Some(key) = key() {
                        self.remember(key, &value).await;
                    }
                }
                Ok(value)
            }
            Err(error) if crate::cache::server_failed(&error) => {
                let Some(key) = key() else {
                    return Err(error);
                };
                match self.recall::<T>(&key).await {
                    Ok(Some(value)) => {
                        tracing::warn!(%error, "the server failed; serving the offline copy");
                        Ok(value)
                    }
                    Ok(None) => Err(error),
                    Err(unusable) => {
                        tracing::warn!(%error, "the server failed, and the offline copy cannot be used");
                        Err(unusable.into())
                    }
                }
            }
            Err(error) => Err(error),
        }
    }

    /// The answer remembered under `key`, with its age, if there is one no older than the
    /// maximum age.
    pub(crate) async fn recall<T: DeserializeOwned + crate::cache::Fresh>(
        &self,
        key: &str,
    ) -> Result<Option<T>, OfflineCopyError> {
        let mut memory = self.memory.lock().await;
        if memory.is_none() {
            *memory = Some(self.read().await?);
        }
        let Some(entry) = memory.as_ref().and_then(|c| c.entries.get(key)) else {
            return Ok(None);
        };
        let age = Duration::from_millis(now_ms().saturating_sub(entry.stored_at_ms));
        if age > self.config.max_age {
            return Ok(None);
        }
        let value: T = serde_json::from_str(entry.body.expose()).map_err(|_| {
            self.error(
                OfflineCopyErrorKind::Malformed,
                "an answer in it cannot be read",
            )
        })?;
        Ok(Some(value.with_freshness(Freshness::Offline { age })))
    }

    fn error(&self, kind: OfflineCopyErrorKind, reason: &str) -> OfflineCopyError {
        OfflineCopyError::new(&self.config.path, kind, reason)
    }

    /// The file's contents; empty when there is no file.
    async fn read(&self) -> Result<Contents, OfflineCopyError> {
        let path = self.config.path.clone();
        let read = tokio::task::spawn_blocking(move || std::fs::read(path)).await;
        let bytes = match read {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Contents::default())
            }
            Ok(Err(e)) => return Err(self.error(OfflineCopyErrorKind::Unreadable, &e.to_string())),
            Err(_) => return Err(self.error(OfflineCopyErrorKind::Unreadable, "reading failed")),
        };
        let plaintext = open(&self.config.key, &bytes).ok_or_else(|| {
            self.error(
                OfflineCopyErrorKind::Tampered,
                "not an offline copy made with this key, or changed since it was written",
            )
        })?;
        serde_json::from_slice(&plaintext).map_err(|_| {
            self.error(
                OfflineCopyErrorKind::Malformed,
                "its content is not an offline copy's",
            )
        })
    }

    /// Encrypts `contents` and replaces the file with them.
    async fn write(&self, contents: &Contents) -> std::io::Result<()> {
        let plaintext = Zeroizing::new(serde_json::to_vec(contents)?);
        let sealed = seal(&self.config.key, &plaintext)?;
        let path = self.config.path.clone();
        tokio::task::spawn_blocking(move || replace(&path, &sealed))
            .await
            .map_err(std::io::Error::other)?
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn cipher(key: &OfflineKey) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(Key::from_slice(&*key.0))
}

/// `MAGIC || nonce || ciphertext and tag`, the magic authenticated too.
fn seal(key: &OfflineKey, plaintext: &[u8]) -> std::io::Result<Vec<u8>> {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher(key)
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: MAGIC,
            },
        )
        .map_err(|_| std::io::Error::other("encryption failed"))?;
    let mut file = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&nonce);
    file.extend_from_slice(&sealed);
    Ok(file)
}

/// The plaintext of a sealed file; `None` if it is not one made with `key`, unchanged.
fn open(key: &OfflineKey, file: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let rest = file.strip_prefix(MAGIC)?;
    if rest.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    cipher(key)
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: MAGIC,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// Writes `bytes` to a temporary file beside `path` (mode 0600), flushes it to disk, and
/// renames it over `path`: readers see the old file or the new one, never half of one.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(error)
        }
    }
}

impl fmt::Debug for OfflineStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OfflineStore")
            .field("path", &self.config.path)
            .finish_non_exhaustive()
    }
}

/// Shared by a client's clones.
pub(crate) type SharedStore = Arc<OfflineStore>;
