//! End-to-end tests of the `infisical` facade against `infisical-emulator`, over real HTTP.
//!
//! The tests are in `e2e/`; the root `examples/` are built from this package too. Run them
//! with `cargo test --workspace`.

/// The README's code, compiled as doc tests so that it stays true.
#[doc = include_str!("../README.md")]
mod readme {}
