//! End-to-end tests: the public API of `infisical`, over real HTTP, against the emulator.

#[macro_use]
mod exercise;

mod auth;
mod blocking;
mod credentials;
mod errors;
mod fallback;
mod layers;
mod logs;
mod proxy;
mod resilience;
mod secrets;
mod support;
mod tls;
