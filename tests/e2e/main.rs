//! End-to-end tests: the public API of `infisical`, over real HTTP, against the emulator.

#[macro_use]
mod exercise;

mod approvals;
mod auth;
mod blocking;
mod cache;
mod cert_manager;
mod certificates;
mod configuration;
mod credentials;
mod credentials_setter;
mod dynamic_secrets;
mod environments;
mod errors;
mod fallback;
mod folders;
mod hidden_values;
mod history;
mod hostile;
mod identities;
mod kms;
mod layers;
mod lifetimes;
mod login_methods;
mod logs;
mod metadata;
mod offline;
mod os_keyring;
mod projects;
mod proxy;
mod relocate;
mod resilience;
mod scoped;
mod secret_imports;
mod secret_service;
mod secrets;
mod snapshots;
mod support;
mod tags;
mod tls;
mod watch;
