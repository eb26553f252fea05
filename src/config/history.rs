//! The config file's `[history]` table: where the record of what members asked is kept, and
//! for how long.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    /// Whether `factbot run` records the questions it handles. Off, `gaps` and `stats` have
    /// nothing to show, and nothing about members' questions is kept.
    pub enabled: bool,
    /// The SQLite database file, created (with its folder) on first run. Relative paths start
    /// from the working directory.
    pub database: PathBuf,
    /// Records older than this many days are deleted, once at start-up and then daily.
    /// 0 keeps everything.
    pub retention_days: u32,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            database: PathBuf::from("data/factbot.db"),
            retention_days: 90,
        }
    }
}
