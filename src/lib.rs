//! factbot answers questions about a news story from curated facts files, quoting the source of
//! every answer and suggesting what to ask next.
//!
//! See `ARCHITECTURE.md` for the map. The core (`facts`, `matcher`, `reply`, `config`, `store`)
//! knows nothing of any chat platform; adapters (`cli`, `discord`) sit around it.

pub mod facts;
pub mod limits;
