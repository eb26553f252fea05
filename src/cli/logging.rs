//! Log set-up from the config's `[log]` table: text or JSON lines on standard error.
//!
//! `RUST_LOG`, when set, replaces the configured filter. Either way the Discord library stays
//! at `warn` unless the filter names it, because at DEBUG it logs interaction tokens and
//! message bodies.

use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// The filter actually used: `filter`, plus `serenity=warn` unless it says otherwise.
pub(crate) fn effective_filter(filter: &str) -> String {
    if filter.contains("serenity") {
        filter.to_owned()
    } else if filter.trim().is_empty() {
        "serenity=warn".to_owned()
    } else {
        format!("{filter},serenity=warn")
    }
}

/// Installs the global subscriber; a bad filter falls back to the default with a warning.
pub(crate) fn init(config: &LogConfig) {
    let wanted = std::env::var("RUST_LOG")
        .ok()
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| config.filter.clone());
    let (filter, bad) = match EnvFilter::try_new(effective_filter(&wanted)) {
        Ok(filter) => (filter, None),
        Err(error) => (
            EnvFilter::new(effective_filter(&LogConfig::default().filter)),
            Some(error),
        ),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match config.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    if installed.is_ok() {
        if let Some(error) = bad {
            tracing::warn!("ignoring the log filter {wanted:?}: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_discord_library_stays_at_warn_unless_named() {
        assert_eq!(effective_filter("debug"), "debug,serenity=warn");
        assert_eq!(
            effective_filter("info,serenity=error"),
            "info,serenity=error"
        );
        assert_eq!(effective_filter(""), "serenity=warn");
    }
}
