//! The config file's `[log]` table: what the bot logs and in which shape.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter such as `warn,factbot=info`; `RUST_LOG` overrides it. The Discord
    /// library is kept at `warn` unless the filter names it, because its DEBUG logs print
    /// interaction tokens and message bodies.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "warn,factbot=info".to_owned(),
        }
    }
}
