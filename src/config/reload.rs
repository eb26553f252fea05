//! The config file's `[reload]` table: how the running bot notices edited facts files.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReloadConfig {
    /// Watch the facts folder and reload when a file in it changes. SIGHUP and the moderators'
    /// reload command work either way.
    pub watch: bool,
    /// How long the folder must stay quiet after a change before reloading, in milliseconds:
    /// an editor's save (often several writes and a rename) or a `git pull` becomes one reload.
    #[serde(deserialize_with = "super::range::milliseconds")]
    pub debounce_ms: u64,
}

impl ReloadConfig {
    pub fn debounce(&self) -> Duration {
        Duration::from_millis(self.debounce_ms)
    }
}

impl Default for ReloadConfig {
    fn default() -> Self {
        Self {
            watch: true,
            debounce_ms: 500,
        }
    }
}
