//! What changed between two lists of a folder.

use crate::secrets::{Secret, SecretList};

/// A change of a watched folder: what was added, changed and removed since the previous
/// change set (the first one holds every secret as added), and the whole list now.
///
/// Keys are those the folder sees — its own secrets and, when imports are listed, theirs,
/// its own winning (as [`SecretList::merged`]). A value the server withheld stays withheld:
/// [`Secret::value`] says so.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChangeSet {
    /// Secrets that appeared.
    pub added: Vec<Secret>,
    /// Secrets whose version or value changed (a value can change without a new version
    /// when a referenced secret changes).
    pub changed: Vec<ChangedSecret>,
    /// Secrets that disappeared, as they last were.
    pub removed: Vec<Secret>,
    /// The folder as it is now.
    pub secrets: SecretList,
}

/// A secret before and after a change.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChangedSecret {
    /// As it was.
    pub old: Secret,
    /// As it is.
    pub new: Secret,
}

impl ChangeSet {
    /// Whether nothing was added, changed or removed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The changes from `old` (nothing, the first time) to `new`.
    pub(crate) fn between(old: Option<&SecretList>, new: SecretList) -> Self {
        let before = old.map(SecretList::merged).unwrap_or_default();
        let after = new.merged();
        let mut set = ChangeSet {
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            secrets: SecretList::default(),
        };
        for (key, now) in &after {
            match before.get(key) {
                None => set.added.push((*now).clone()),
                Some(then) if differs(then, now) => set.changed.push(ChangedSecret {
                    old: (*then).clone(),
                    new: (*now).clone(),
                }),
                Some(_) => {}
            }
        }
        for (key, then) in &before {
            if !after.contains_key(key) {
                set.removed.push((*then).clone());
            }
        }
        drop(after);
        set.secrets = new;
        set
    }
}

fn differs(then: &Secret, now: &Secret) -> bool {
    then.version != now.version
        || then.value().ok() != now.value().ok()
        || then.is_hidden() != now.is_hidden()
}
