//! Reading the CLI's small files.

use super::invalid;
use infisical_core::CredentialsError;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;
use zeroize::Zeroizing;

/// The most this provider reads from one file. The CLI's files are well under a kilobyte;
/// the limit keeps a stray huge file from being read into memory.
const MAX_LEN: u64 = 1024 * 1024;

/// The contents of `path` (a `what`, for errors), or `None` if it does not exist. The buffer
/// is zeroized when dropped, as the file may hold a passphrase.
///
/// Blocking `std::fs`: the files are small, so this is fine inside an async provider.
pub(super) fn read(
    path: &Path,
    what: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>, CredentialsError> {
    let cannot_read = |err: std::io::Error| {
        invalid(format!("cannot read the {what}: {err}"), path).with_source(err)
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(cannot_read(err)),
    };
    let mut contents = Zeroizing::new(Vec::with_capacity(4096));
    file.take(MAX_LEN + 1)
        .read_to_end(&mut contents)
        .map_err(cannot_read)?;
    if contents.len() as u64 > MAX_LEN {
        return Err(invalid(
            format!("the {what} is larger than {MAX_LEN} bytes; it is not the CLI's"),
            path,
        ));
    }
    Ok(Some(contents))
}
