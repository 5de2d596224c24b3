//! The integration tests, in one binary: each test file of its own would link the library
//! and its dependencies again, which on two cores costs minutes of every CI run.
//!
//! Tests that read the real reports in `../shared/` skip with a printed reason where that
//! folder is absent; in CI it is present and they run. They reach into the stages, so they
//! need the `internals` feature (on by default, through `cli`).
#![cfg(feature = "internals")]

mod common;

#[cfg(feature = "cli")]
mod cli;
mod corpus;
mod docx;
mod financial;
mod performance;
mod robustness;
mod samples;
mod template;
mod variants;
