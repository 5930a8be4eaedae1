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
///
/// The empty text holds no `Arc` at all: `Arc<str>`'s default is one counter shared by the
/// whole process, and a default made and dropped per decoded secret is four writes to a
/// cache line every thread decoding a list fights over.
#[derive(Clone, Default)]
pub struct SharedText(Option<Arc<str>>);

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

impl Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText((!text.is_empty()).then(|| Arc::from(text)))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText((!text.is_empty()).then(|| Arc::from(text)))
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &SharedText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl std::hash::Hash for SharedText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &SharedText) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &SharedText) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        *self == other.as_str()
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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
                Ok(SharedText((!text.is_empty()).then(|| share(text))))
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
        let arc = |t: &SharedText| t.0.clone().unwrap();
        assert!(Arc::ptr_eq(&arc(&texts[0]), &arc(&texts[2])));
        assert!(Arc::ptr_eq(&arc(&texts[1]), &arc(&texts[3])));
        assert!(Arc::ptr_eq(&arc(&texts[0]), &arc(&texts[5])));
        assert_eq!(texts[4], "dev");
        assert_eq!("p1", texts[1]);
        assert_eq!(texts[1], String::from("p1"));
        assert_eq!(format!("{:?} {}", texts[0], texts[0]), r#""prod" prod"#);
        assert_eq!(serde_json::to_string(&texts[0]).unwrap(), r#""prod""#);
        assert!(serde_json::from_str::<SharedText>("1").is_err());
    }

    #[test]
    fn the_empty_text_holds_no_arc_and_equals_every_other_empty_text() {
        let decoded: SharedText = serde_json::from_str(r#""""#).unwrap();
        for empty in [
            SharedText::default(),
            SharedText::from(""),
            SharedText::from(String::new()),
            decoded,
        ] {
            assert!(empty.0.is_none());
            assert_eq!(empty, SharedText::default());
            assert_eq!(empty, "");
            assert_eq!(empty.as_str(), "");
        }
        let hash = |t: &SharedText| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            t.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&SharedText::default()), hash(&SharedText::from("")));
        assert_eq!(hash(&SharedText::from("dev")), {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            "dev".hash(&mut h);
            h.finish()
        });
        let (a, b) = (SharedText::from("a"), SharedText::from("b"));
        assert!(a < b && b > SharedText::default());
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
