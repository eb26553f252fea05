//! The config file's `[slack]` table: how the bot connects to Slack (Socket Mode) and how it
//! behaves there. Plain settings, no Slack types; `crate::slack` reads them.

use std::path::PathBuf;

use serde::Deserialize;

/// The `[slack]` table. Every key is optional; see `config/factbot.example.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlackConfig {
    /// `true`: Slack must run (no tokens is an error); `false`: never; unset: when its tokens
    /// are found.
    pub enabled: Option<bool>,
    /// A file holding the bot token (`xoxb-…`), used when `SLACK_BOT_TOKEN` is not set.
    pub bot_token_file: Option<PathBuf>,
    /// A file holding the app-level token (`xapp-…`), used when `SLACK_APP_TOKEN` is not set.
    pub app_token_file: Option<PathBuf>,
    /// The Web API base, with its trailing `/api/` (a proxy, or a fake Slack in tests).
    /// `FACTBOT_SLACK_API_URL` overrides it.
    pub api_url: Option<String>,
    /// The only channels (ids such as `C0123ABCD`) the bot answers in; empty: every channel it
    /// is in. Direct messages are always answered.
    pub allowed_channels: Vec<String>,
    /// Seconds a member waits between two questions (0 = no cooldown).
    pub user_cooldown_secs: f64,
    /// At most this many answers per channel per `channel_window_secs` (0 = no limit).
    pub channel_max_answers: u32,
    pub channel_window_secs: f64,
    /// User groups (ids such as `S0123ABCD`) whose members may use `/factsadmin`; workspace
    /// admins and owners always may.
    pub moderator_user_groups: Vec<String>,
    /// A channel where reload results are posted; not set: reloads are only logged.
    pub log_channel: Option<String>,
    /// Whether answers carry "Helpful" / "Not helpful" buttons, recorded with the answer.
    pub helpful_buttons: bool,
}

impl Default for SlackConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            bot_token_file: None,
            app_token_file: None,
            api_url: None,
            allowed_channels: Vec::new(),
            user_cooldown_secs: 3.0,
            channel_max_answers: 20,
            channel_window_secs: 60.0,
            moderator_user_groups: Vec::new(),
            log_channel: None,
            helpful_buttons: false,
        }
    }
}
