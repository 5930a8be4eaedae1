//! A failed read of the client's offline copy: the file is there but cannot be used.

use std::path::{Path, PathBuf};

/// Why the offline copy could not be used (see the facade's `OfflineCopy`). Never quotes
/// the file's content or its key.
#[derive(Debug, thiserror::Error)]
#[error("offline copy {}: {reason}", path.display())]
pub struct OfflineCopyError {
    path: PathBuf,
    kind: OfflineCopyErrorKind,
    reason: String,
}

/// What is wrong with the offline copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OfflineCopyErrorKind {
    /// The file exists but cannot be read (permissions, I/O).
    Unreadable,
    /// The file is not an offline copy, was made with another key, or was changed since it
    /// was written: authenticated decryption refused it.
    Tampered,
    /// The file decrypted but its content is not what this SDK writes.
    Malformed,
}

impl OfflineCopyError {
    /// An error about the offline copy at `path`.
    pub fn new(path: &Path, kind: OfflineCopyErrorKind, reason: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            kind,
            reason: reason.into(),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What is wrong with it.
    pub fn kind(&self) -> OfflineCopyErrorKind {
        self.kind
    }
}
