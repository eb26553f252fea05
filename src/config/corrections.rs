//! The config file's `[corrections]` table: editing the bot's earlier replies when a reload
//! changes or retracts the fact they answered.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorrectionsConfig {
    /// Edit earlier replies after a reload that changes a fact's answer or retracts it.
    pub enabled: bool,
    /// How far back replies are corrected, in hours: older ones are left as they are.
    pub window_hours: u64,
    /// Edits at most per reload; the rest are reported, not sent, so that one large edit of
    /// the facts cannot flood a server or the platform's rate limits.
    pub max_per_reload: usize,
    /// Milliseconds between two edits: the platforms allow a few edits a second per channel.
    pub pace_ms: u64,
}

impl CorrectionsConfig {
    pub fn window(&self) -> Duration {
        Duration::from_secs(self.window_hours.saturating_mul(3600))
    }

    pub fn pace(&self) -> Duration {
        Duration::from_millis(self.pace_ms)
    }
}

impl Default for CorrectionsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_hours: 72,
            max_per_reload: 100,
            pace_ms: 250,
        }
    }
}
