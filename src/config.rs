//! The bot's settings file (`config/factbot.toml`): where the facts are and how to match.
//!
//! Every key has a default, so the file is optional; unknown keys are errors with the file,
//! line and column, because a misspelt key silently ignored is a setting that never applies.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::facts::{did_you_mean, line_column, LoadOptions};
use crate::matcher::MatchSettings;

mod corrections;
mod discord;
mod history;
mod log;
mod range;
mod reload;
mod slack;

pub use corrections::CorrectionsConfig;
pub use discord::{DiscordConfig, ModeratorPermission, ShardRange, Shards, Snowflake};
pub use history::{DatabaseLocation, HistoryConfig, DATABASE_URL_ENV};
pub use log::{LogConfig, LogFormat};
pub use reload::ReloadConfig;
pub use slack::SlackConfig;

/// Where the bot looks for its config when none is named.
pub const DEFAULT_PATH: &str = "config/factbot.toml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The facts folder (or file). Relative paths are taken from the working directory.
    pub facts: PathBuf,
    /// The largest facts file read, in bytes (default 2 MiB).
    #[serde(deserialize_with = "range::file_bytes")]
    pub max_facts_file_bytes: u64,
    pub matching: MatchSettings,
    pub discord: DiscordConfig,
    pub slack: SlackConfig,
    pub log: LogConfig,
    pub reload: ReloadConfig,
    pub history: HistoryConfig,
    pub corrections: CorrectionsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            facts: PathBuf::from("facts"),
            max_facts_file_bytes: LoadOptions::DEFAULT_MAX_FILE_BYTES,
            matching: MatchSettings::default(),
            discord: DiscordConfig::default(),
            slack: SlackConfig::default(),
            log: LogConfig::default(),
            reload: ReloadConfig::default(),
            history: HistoryConfig::default(),
            corrections: CorrectionsConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Reads `path`, or the default path when none is given and it exists, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        match path {
            Some(path) => Self::read(path),
            None if Path::new(DEFAULT_PATH).is_file() => Self::read(Path::new(DEFAULT_PATH)),
            None => Ok(Self::default()),
        }
    }

    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses and checks a config file's text: a syntax error, an unknown key or a value out of
    /// its range is an error at its line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let invalid = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let config: Self = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            invalid(offset, with_suggestion(error.message().trim_end()))
        })?;
        config.matching.validate().map_err(|error| {
            invalid(
                matching_offset(text, error.key()),
                format!("[matching] {error}"),
            )
        })?;
        Ok(config)
    }

    /// The limits the facts loader applies.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            max_file_bytes: self.max_facts_file_bytes,
        }
    }
}

/// Keys an earlier factbot read, with what to do about them now: a config written for it
/// should say why it no longer loads, not list every key that does.
const RETIRED: &[(&str, &str)] = &[(
    "confidence_weights",
    "no longer a setting: the confidence model is now built into factbot (see `factbot ask \
     --explain`); delete this line, and move `answer_confidence` instead to answer more or \
     fewer questions",
)];

/// serde's "unknown field `x`, expected one of `a`, `b`" (or variant) becomes "unknown field
/// `x` (did you mean "a"?)" when one is close, as in the facts files' diagnostics; otherwise
/// the list of what is allowed stays.
fn with_suggestion(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_owned();
    };
    let is_unknown = head.starts_with("unknown field `") || head.starts_with("unknown variant `");
    let wrong = head.split('`').nth(1);
    if let Some((_, advice)) = RETIRED.iter().find(|(key, _)| Some(*key) == wrong) {
        return format!("{head}: {advice}");
    }
    let candidates = expected.split('`').skip(1).step_by(2);
    match wrong
        .filter(|_| is_unknown)
        .and_then(|wrong| did_you_mean(wrong, candidates))
    {
        Some(suggestion) => format!("{head} ({suggestion})"),
        None => message.to_owned(),
    }
}

/// Where the `[matching]` value of `key` is written in `text`: the value, else the table, else
/// the start of the file (a value the table does not set is a default, never out of range).
fn matching_offset(text: &str, key: &str) -> usize {
    let Ok(document) = toml_edit::ImDocument::parse(text) else {
        return 0;
    };
    let matching = document.as_table().get("matching");
    matching
        .and_then(|table| table.get(key))
        .and_then(toml_edit::Item::span)
        .or_else(|| matching.and_then(toml_edit::Item::span))
        .map_or(0, |span| span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gives_defaults() {
        assert_eq!(
            Config::parse(Path::new("c.toml"), "").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn settings_are_read() {
        let config = Config::parse(
            Path::new("c.toml"),
            "facts = \"news\"\n[matching]\nanswer_threshold = 0.7\n",
        )
        .unwrap();
        assert_eq!(config.facts, PathBuf::from("news"));
        assert!((config.matching.answer_threshold - 0.7).abs() < f32::EPSILON);
    }

    #[test]
    fn unknown_keys_name_the_line_and_column() {
        let error = Config::parse(
            Path::new("c.toml"),
            "facts = \"news\"\n[matching]\nanswer_treshold = 0.7\n",
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("c.toml:3:1: unknown field `answer_treshold`"),
            "{message}"
        );
    }

    #[test]
    fn matching_values_out_of_range_name_the_line_and_column() {
        for (text, expected) in [
            (
                "facts = \"news\"\n[matching]\nanswer_threshold = 1.5\n",
                "c.toml:3:20: [matching] answer_threshold must be a number from 0 to 1, not 1.5",
            ),
            (
                "[matching]\nmax_candidates = 0\n",
                "c.toml:2:18: [matching] max_candidates must be a whole number of 1 or more",
            ),
            (
                "matching = { min_evidence = -2.0 }\n",
                "c.toml:1:29: [matching] min_evidence must be a finite number of 0 or more",
            ),
            (
                "[matching]\nambiguity_margin = 0.0\nanswer_threshold = 0.0\n",
                "c.toml:2:20: [matching] ambiguity_margin cannot be 0 while answer_threshold is 0",
            ),
        ] {
            let message = Config::parse(Path::new("c.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(message.starts_with(expected), "{message}");
        }
    }

    #[test]
    fn discord_and_log_tables_are_read() {
        let text = r#"
[discord]
token_file = "/run/secrets/discord"
guild_ids = [123, "456"]
allowed_channels = { "123" = [7, 8] }
user_cooldown_secs = 0
shards = 4
shard_range = [0, 1, 4]
reply_ping = true

[log]
format = "json"
filter = "info"
"#;
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        let discord = &config.discord;
        assert_eq!(
            discord.token_file.as_deref(),
            Some(Path::new("/run/secrets/discord"))
        );
        assert_eq!(discord.guild_ids, vec![Snowflake(123), Snowflake(456)]);
        assert_eq!(
            discord.allowed_channels[&Snowflake(123)],
            vec![Snowflake(7), Snowflake(8)]
        );
        assert_eq!(discord.user_cooldown_secs, 0.0);
        assert_eq!(discord.shards, Shards::Fixed(4));
        assert_eq!(
            discord.shard_range,
            Some(ShardRange {
                first: 0,
                last: 1,
                total: 4
            })
        );
        assert!(discord.reply_ping);
        assert_eq!(config.log.format, LogFormat::Json);
        assert_eq!(config.log.filter, "info");
    }

    #[test]
    fn moderators_tables_are_read() {
        let text = r#"
[discord]
moderator_role_ids = ["42"]
moderator_permission = "manage_guild"
log_channel_id = 77
helpful_buttons = true

[reload]
watch = false
debounce_ms = 50

[history]
enabled = false
database = "/var/lib/factbot/q.db"
retention_days = 30
"#;
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        assert_eq!(config.discord.moderator_role_ids, vec![Snowflake(42)]);
        assert_eq!(
            config.discord.moderator_permission,
            ModeratorPermission::ManageGuild
        );
        assert_eq!(config.discord.log_channel_id, Some(Snowflake(77)));
        assert!(config.discord.helpful_buttons);
        assert!(!config.reload.watch);
        assert_eq!(config.reload.debounce().as_millis(), 50);
        assert!(!config.history.enabled);
        assert_eq!(config.history.retention_days, 30);
        let defaults = Config::default();
        assert!(defaults.reload.watch && defaults.history.enabled);
        assert_eq!(
            defaults.history.database,
            DatabaseLocation::File(PathBuf::from("data/factbot.db"))
        );
        assert_eq!(
            defaults.discord.moderator_permission,
            ModeratorPermission::ManageMessages
        );
        assert!(!defaults.discord.helpful_buttons);
        let error = Config::parse(
            Path::new("c.toml"),
            "[history]
retention = 3
",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("c.toml:2:1: unknown field `retention`"),
            "{error}"
        );
    }

    #[track_caller]
    fn check_error(text: &str, expected: &str) {
        let message = Config::parse(Path::new("c.toml"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(message, expected);
    }

    #[test]
    fn misspelt_keys_and_variants_get_a_suggestion() {
        check_error(
            "[matching]\nanswer_treshold = 0.7\n",
            "c.toml:2:1: unknown field `answer_treshold` (did you mean \"answer_threshold\"?)",
        );
        check_error(
            "[discord]\nuser_coldown_secs = 1\n",
            "c.toml:2:1: unknown field `user_coldown_secs` (did you mean \"user_cooldown_secs\"?)",
        );
        check_error(
            "[log]\nformat = \"jsno\"\n",
            "c.toml:2:10: unknown variant `jsno` (did you mean \"json\"?)",
        );
        check_error(
            "[matching]\nconfidence_weights = [-7.8, 1, 3.4, 1, 0, 0.2, 5.8, 0.5, -2.5]\n",
            "c.toml:2:1: unknown field `confidence_weights`: no longer a setting: the confidence \
             model is now built into factbot (see `factbot ask --explain`); delete this line, and \
             move `answer_confidence` instead to answer more or fewer questions",
        );
        let far = Config::parse(Path::new("c.toml"), "[reload]\nfrequency = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            far.starts_with(
                "c.toml:2:1: unknown field `frequency`, expected `watch` or `debounce_ms`"
            ),
            "{far}"
        );
    }

    #[test]
    fn every_number_is_range_checked_where_it_is_written() {
        for (text, expected) in [
            (
                "[discord]\nuser_cooldown_secs = -1.0\n",
                "c.toml:2:22: -1 is out of range: use 0 to 86400 seconds",
            ),
            (
                "[discord]\nuser_cooldown_secs = nan\n",
                "c.toml:2:22: NaN is out of range: use 0 to 86400 seconds",
            ),
            (
                "[discord]\nchannel_window_secs = 0\n",
                "c.toml:2:23: 0 is out of range: use 1 to 86400 seconds",
            ),
            (
                "[discord]\nchannel_max_answers = 100000\n",
                "c.toml:2:23: 100000 is out of range: use 0 to 10000 answers",
            ),
            (
                "[reload]\ndebounce_ms = 3600000\n",
                "c.toml:2:15: 3600000 is out of range: use 0 to 60000 milliseconds",
            ),
            (
                "[history]\nretention_days = 1000000\n",
                "c.toml:2:18: 1000000 is out of range: use 0 to 36500 days",
            ),
            (
                "max_facts_file_bytes = 10\n",
                "c.toml:1:24: 10 is out of range: use 1024 to 67108864 bytes",
            ),
        ] {
            check_error(text, expected);
        }
        let config = Config::parse(Path::new("c.toml"), "max_facts_file_bytes = 4096\n").unwrap();
        assert_eq!(config.load_options().max_file_bytes, 4096);
        assert_eq!(
            Config::default().load_options().max_file_bytes,
            2 * 1024 * 1024
        );
    }

    #[test]
    fn a_database_url_of_another_scheme_is_refused() {
        check_error(
            "[history]\ndatabase = \"mysql://db/factbot\"\n",
            "c.toml:2:12: database is a file path or a postgres:// URL; \"mysql://\" is not supported",
        );
        check_error(
            "[history]\ndatabase = \"sqlite:///var/q.db\"\n",
            "c.toml:2:12: database is a file path or a postgres:// URL; \"sqlite://\" is not supported",
        );
        for fine in [
            "postgres://postgres@127.0.0.1/test",
            "postgresql://h/db",
            "data/q.db",
            "/var/lib/factbot/q.db",
        ] {
            let text = format!("[history]\ndatabase = \"{fine}\"\n");
            let config = Config::parse(Path::new("c.toml"), &text).unwrap();
            assert_eq!(config.history.database, DatabaseLocation::parse(fine));
        }
    }

    #[test]
    fn discord_defaults_are_safe() {
        let discord = Config::default().discord;
        assert_eq!(discord.shards, Shards::Auto);
        assert!(!discord.reply_ping);
        assert!(discord.api_url.is_none() && discord.token_file.is_none());
    }

    #[test]
    fn bad_discord_values_name_the_line_and_column() {
        for (text, expected) in [
            (
                "[discord]\nguild_ids = [0]\n",
                "c.toml:2:14: a Discord id cannot be 0",
            ),
            (
                "[discord]\nshards = \"many\"\n",
                "c.toml:2:10: shards must be",
            ),
            (
                "[discord]\nshard_range = [2, 1, 4]\n",
                "c.toml:2:15: shard_range is",
            ),
            (
                "[discord]\nreply_pings = true\n",
                "c.toml:2:1: unknown field `reply_pings`",
            ),
            (
                "[log]\nformat = \"xml\"\n",
                "c.toml:2:10: unknown variant `xml`",
            ),
        ] {
            let message = Config::parse(Path::new("c.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(message.starts_with(expected), "{message}");
        }
    }
}
