//! factbot answers questions about a news story from curated facts files, quoting the source of
//! every answer and suggesting what to ask next.
//!
//! See `ARCHITECTURE.md` for the map. The core (`facts`, `matcher`, `answer`, `reply`,
//! `conversation`, `store`, `eval`, `config`) knows nothing of any chat platform; adapters
//! (`cli`, and the chat platforms `discord` and `slack`) sit around it.

pub mod answer;
pub mod chars;
pub mod cli;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod corrections;
pub mod discord;
pub mod eval;
pub mod facts;
pub mod history;
pub mod lang;
pub mod limits;
pub mod matcher;
pub mod pages;
pub mod reload;
pub mod reply;
pub mod slack;
pub mod store;
pub mod suggest;
pub mod threads;
