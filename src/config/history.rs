//! The config file's `[history]` table: where the record of what members asked is kept, and
//! for how long.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The environment variable whose value replaces `history.database`, so a PostgreSQL password
/// never has to be written in the config file.
pub const DATABASE_URL_ENV: &str = "FACTBOT_DATABASE_URL";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    /// Whether `factbot run` records the questions it handles. Off, `gaps` and `stats` have
    /// nothing to show, and nothing about members' questions is kept.
    pub enabled: bool,
    /// A SQLite database file (created with its folder on first run; relative paths start
    /// from the working directory), or a `postgres://` URL shared by every process of a fleet.
    pub database: DatabaseLocation,
    /// Records older than this many days are deleted, once at start-up and then daily.
    /// 0 keeps everything.
    #[serde(deserialize_with = "super::range::days")]
    pub retention_days: u32,
    /// How often a running bot writes its heartbeat row (the fleet view); a row not renewed
    /// for three of its periods is stale and leaves the view.
    pub heartbeat_secs: u32,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            database: DatabaseLocation::File(PathBuf::from("data/factbot.db")),
            retention_days: 90,
            heartbeat_secs: 15,
        }
    }
}

impl HistoryConfig {
    /// The config with `FACTBOT_DATABASE_URL`'s value (when set and not blank) as its database:
    /// the environment wins over the file.
    #[must_use]
    pub fn with_env(mut self, database_url: Option<String>) -> Self {
        if let Some(url) = database_url.filter(|url| !url.trim().is_empty()) {
            self.database = DatabaseLocation::parse(url.trim());
        }
        self
    }

    pub fn heartbeat_every(&self) -> Duration {
        Duration::from_secs(u64::from(self.heartbeat_secs.max(1)))
    }
}

/// Where the questions are kept: an embedded SQLite file (one process) or a PostgreSQL server
/// (any number of processes, on any number of machines).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    File(PathBuf),
    /// A `postgres://` or `postgresql://` URL, possibly with a password: shown only through
    /// [`DatabaseLocation`]'s `Display`, which hides it.
    Postgres(String),
}

impl DatabaseLocation {
    /// A `postgres://` or `postgresql://` URL names a server; anything else is a file path.
    pub fn parse(text: &str) -> Self {
        let lower = text.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Self::Postgres(text.trim().to_owned())
        } else {
            Self::File(PathBuf::from(text))
        }
    }
}

impl From<&Path> for DatabaseLocation {
    fn from(path: &Path) -> Self {
        Self::File(path.to_path_buf())
    }
}

impl From<PathBuf> for DatabaseLocation {
    fn from(path: PathBuf) -> Self {
        Self::File(path)
    }
}

impl From<&PathBuf> for DatabaseLocation {
    fn from(path: &PathBuf) -> Self {
        Self::File(path.clone())
    }
}

impl From<&DatabaseLocation> for DatabaseLocation {
    fn from(location: &DatabaseLocation) -> Self {
        location.clone()
    }
}

/// The file path, or the URL with its password replaced by `***`: safe for logs and status.
impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// Never the password, even in `{:?}` (configs are debug-printed in tests and logs).
impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Postgres(_) => f.debug_tuple("Postgres").field(&self.to_string()).finish(),
        }
    }
}

impl<'de> Deserialize<'de> for DatabaseLocation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.trim().is_empty() {
            return Err(serde::de::Error::custom(
                "database is a file path or a postgres:// URL, not an empty string",
            ));
        }
        if let Some(scheme) = url_scheme(text.trim()) {
            if !URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                return Err(serde::de::Error::custom(format!(
                    "database is a file path or a postgres:// URL; \"{scheme}://\" is not supported"
                )));
            }
        }
        Ok(Self::parse(&text))
    }
}

/// The URL schemes `database` may name; anything else that looks like a URL is refused, not
/// taken as a file path (`sqlite://x` would otherwise create a folder named `sqlite:`).
const URL_SCHEMES: &[&str] = &["postgres", "postgresql"];

/// The scheme of `text` when it looks like a URL (`scheme://`), by RFC 3986's scheme syntax.
fn url_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; a URL without a
/// password is unchanged. A `password=` query parameter is hidden the same way.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |at| scheme_end + at);
    let mut out = match url[scheme_end..authority_end].rfind('@') {
        Some(at) => {
            let credentials = &url[scheme_end..scheme_end + at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end],
                    &credentials[..colon],
                    &url[scheme_end + at..]
                ),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };
    if let Some(at) = out.find("password=") {
        let value_end = out[at..].find('&').map_or(out.len(), |end| at + end);
        out.replace_range(at + "password=".len()..value_end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_server_and_anything_else_a_file() {
        assert_eq!(
            DatabaseLocation::parse("data/factbot.db"),
            DatabaseLocation::File(PathBuf::from("data/factbot.db"))
        );
        assert!(matches!(
            DatabaseLocation::parse("postgresql://db.internal/factbot"),
            DatabaseLocation::Postgres(_)
        ));
        assert!(matches!(
            DatabaseLocation::parse("POSTGRES://h/d"),
            DatabaseLocation::Postgres(_)
        ));
    }

    #[test]
    fn passwords_never_show() {
        for (url, shown) in [
            (
                "postgres://factbot:s3cret@db:5432/news",
                "postgres://factbot:***@db:5432/news",
            ),
            ("postgres://factbot@db/news", "postgres://factbot@db/news"),
            (
                "postgres://db/news?user=f&password=s3cret&sslmode=disable",
                "postgres://db/news?user=f&password=***&sslmode=disable",
            ),
            ("postgres://a:b@c", "postgres://a:***@c"),
        ] {
            let location = DatabaseLocation::parse(url);
            assert_eq!(location.to_string(), shown);
            assert!(!format!("{location:?}").contains("s3cret"));
        }
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let config = HistoryConfig::default();
        let url = "postgres://factbot:pw@db/news".to_owned();
        let with = config.clone().with_env(Some(url.clone()));
        assert_eq!(with.database, DatabaseLocation::Postgres(url));
        assert_eq!(config.clone().with_env(Some("  ".into())), config);
        assert_eq!(config.clone().with_env(None), config);
    }
}
