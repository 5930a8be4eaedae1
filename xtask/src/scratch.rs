//! A temporary folder of the checks' own, so that tests leaving files behind are caught.
//!
//! Every check runs with `TMPDIR` at a new, empty folder. Whatever is left in it when they
//! are done was made by a test that did not remove it: on a developer's machine, files
//! piling up in `/tmp` with every run (until 2026-12-04, nine folders a run, one of them
//! holding a test's private key).

use std::io;
use std::path::{Path, PathBuf};

/// An empty folder, removed with whatever is in it when dropped.
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A new, empty folder under the system's temporary one.
    pub(crate) fn new() -> io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("infisical-ci-tmp-{}", std::process::id()));
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }

    /// The names of what is in the folder now, sorted.
    pub(crate) fn leftovers(&self) -> io::Result<Vec<String>> {
        let mut names = std::fs::read_dir(&self.dir)?
            .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort();
        Ok(names)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_names_what_was_left_and_is_gone_when_dropped() {
        let scratch = Scratch::new().unwrap();
        assert_eq!(scratch.leftovers().unwrap(), Vec::<String>::new());
        std::fs::create_dir(scratch.path().join("b-folder")).unwrap();
        std::fs::write(scratch.path().join("a-file"), "x").unwrap();
        assert_eq!(scratch.leftovers().unwrap(), ["a-file", "b-folder"]);
        let dir = scratch.path().to_owned();
        drop(scratch);
        assert!(!dir.exists());
    }
}
