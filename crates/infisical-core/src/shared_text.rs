//! [`SharedText`]: text that the items of one answer repeat, held once.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Text the secrets of a list share — their project's id, their environment's slug — held
/// once for the whole list and shared by reference count: decoding a list of 10,000
/// secrets allocates it once, not 10,000 times. Reads as a `&str` (it derefs to one) and
/// compares with `&str` and `String`.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedText(Arc<str>);

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(Arc::from(text))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(Arc::from(text))
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        **self == *other.0
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// How many distinct texts a thread remembers while decoding (a list's project and
/// environment, and the environments of a recursive or imported list).
const REMEMBERED: usize = 4;

thread_local! {
    /// The texts decoded last on this thread, most recent first.
    static RECENT: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
}

/// The shared copy of `text`: one remembered on this thread, or a new one (then remembered).
fn share(text: &str) -> Arc<str> {
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some(found) = recent.iter().find(|t| ***t == *text) {
            return Arc::clone(found);
        }
        let new: Arc<str> = Arc::from(text);
        recent.insert(0, Arc::clone(&new));
        recent.truncate(REMEMBERED);
        new
    })
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SharedText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SharedText, E> {
                Ok(SharedText(share(text)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_holds_each_repeated_text_once() {
        let texts: Vec<SharedText> =
            serde_json::from_str(r#"["prod","p1","prod","p1","dev","prod"]"#).unwrap();
        assert!(Arc::ptr_eq(&texts[0].0, &texts[2].0));
        assert!(Arc::ptr_eq(&texts[1].0, &texts[3].0));
        assert!(Arc::ptr_eq(&texts[0].0, &texts[5].0));
        assert_eq!(texts[4], "dev");
        assert_eq!("p1", texts[1]);
        assert_eq!(texts[1], String::from("p1"));
        assert_eq!(format!("{:?} {}", texts[0], texts[0]), r#""prod" prod"#);
        assert_eq!(serde_json::to_string(&texts[0]).unwrap(), r#""prod""#);
        assert!(serde_json::from_str::<SharedText>("1").is_err());
    }

    #[test]
    fn a_thread_remembers_only_a_few_texts() {
        let many: Vec<String> = (0..100).map(|i| format!("\"t{i}\"")).collect();
        let json = format!("[{}]", many.join(","));
        let texts: Vec<SharedText> = serde_json::from_str(&json).unwrap();
        assert_eq!(texts.len(), 100);
        RECENT.with(|r| assert_eq!(r.borrow().len(), REMEMBERED));
    }
}
