//! End-to-end tests of the `infisical` facade against `infisical-emulator`, over real HTTP.
//!
//! The tests are in `e2e/`; the root `examples/` are built from this package too. Run them
//! with `cargo test --workspace`.

/// The README's code, compiled as doc tests so that it stays true.
#[doc = include_str!("../README.md")]
mod readme {}

/// The guide's code, compiled as doc tests.
mod guide {
    #[doc = include_str!("../docs/getting-started.md")]
    mod getting_started {}
    #[doc = include_str!("../docs/authentication.md")]
    mod authentication {}
    #[doc = include_str!("../docs/resources.md")]
    mod resources {}
    #[doc = include_str!("../docs/async-and-blocking.md")]
    mod async_and_blocking {}
    #[doc = include_str!("../docs/tower-layers.md")]
    mod tower_layers {}
    #[doc = include_str!("../docs/testing-with-the-emulator.md")]
    mod testing_with_the_emulator {}
    #[doc = include_str!("../docs/errors-and-retries.md")]
    mod errors_and_retries {}
    #[doc = include_str!("../docs/configuration.md")]
    mod configuration {}
}
