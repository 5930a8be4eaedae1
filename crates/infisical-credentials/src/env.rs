//! The process environment, injectable so that tests never touch the real one.

use std::collections::HashMap;
use std::fmt::Debug;

/// Where providers read environment variables.
pub trait Env: Send + Sync + Debug {
    /// The variable's value, if set and valid Unicode.
    fn get(&self, name: &str) -> Option<String>;

    /// The variable's value, if set and not blank.
    fn non_empty(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// A fixed set of variables, for tests and for configuration from elsewhere.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StaticEnv(HashMap<String, String>);

impl StaticEnv {
    /// An environment with no variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a variable.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }
}

impl<K: Into<String>, V: Into<String>, const N: usize> From<[(K, V); N]> for StaticEnv {
    fn from(vars: [(K, V); N]) -> Self {
        vars.into_iter()
            .fold(Self::new(), |env, (k, v)| env.set(k, v))
    }
}

impl Env for StaticEnv {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

impl Debug for StaticEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: show the names only.
        f.debug_set().entries(self.0.keys()).finish()
    }
}
