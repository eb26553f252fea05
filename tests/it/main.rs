//! One integration test binary (faster to link than one per file): behaviour of the `factbot`
//! binary and of the bundled facts, seen from outside.

mod ask;
mod bundled_facts;
mod chat;
mod check;
mod eval;
mod support;
