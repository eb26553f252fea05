//! The config file's `[history]` table: where the record of what members asked is kept, and
//! for how long.

use std::path::PathBuf;

use serde::de::{Deserializer, Error as _};
use serde::Deserialize;

/// The URL schemes `database` may name; anything else that looks like a URL is refused, not
/// taken as a file path (`sqlite://x` would otherwise create a folder named `sqlite:`).
const URL_SCHEMES: &[&str] = &["postgres", "postgresql"];

/// A database path or a PostgreSQL URL; a URL of another scheme is refused.
fn database<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PathBuf, D::Error> {
    let text = String::deserialize(deserializer)?;
    if let Some(scheme) = url_scheme(&text) {
        if !URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            return Err(D::Error::custom(format!(
                "database is a file path or a postgres:// URL; \"{scheme}://\" is not supported"
            )));
        }
    }
    if text.trim().is_empty() {
        return Err(D::Error::custom("database is empty: give a file path"));
    }
    Ok(PathBuf::from(text))
}

/// The scheme of `text` when it looks like a URL (`scheme://`), by RFC 3986's scheme syntax.
fn url_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    /// Whether `factbot run` records the questions it handles. Off, `gaps` and `stats` have
    /// nothing to show, and nothing about members' questions is kept.
    pub enabled: bool,
    /// The SQLite database file, created (with its folder) on first run. Relative paths start
    /// from the working directory.
    #[serde(deserialize_with = "database")]
    pub database: PathBuf,
    /// Records older than this many days are deleted, once at start-up and then daily.
    /// 0 keeps everything.
    #[serde(deserialize_with = "super::range::days")]
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
