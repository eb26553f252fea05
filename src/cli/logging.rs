//! Log set-up from the config's `[log]` table: text or JSON lines on standard error.
//!
//! `RUST_LOG`, when set, replaces the configured filter. Either way the libraries the bot
//! talks to Discord through stay at `warn` unless the filter names them one by one, because
//! below that they log secrets: serenity logs interaction tokens and message bodies at DEBUG,
//! tungstenite every gateway frame (each interaction's token) at TRACE, and the HTTP stack
//! request headers. `RUST_LOG=trace` then means "everything of factbot's".

use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// The dependencies held at `warn` unless a filter directive names them.
const QUIET_DEPENDENCIES: &[&str] = &[
    "serenity",
    "tungstenite",
    "tokio_tungstenite",
    "async_tungstenite",
    "reqwest",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "tokio_rustls",
    "tower",
    "tower_http",
    "want",
    "mio",
    "notify",
    "rusqlite",
];

/// The filter actually used: `filter`, plus `<dependency>=warn` for each of
/// [`QUIET_DEPENDENCIES`] that no directive of it names.
pub(crate) fn effective_filter(filter: &str) -> String {
    let named: Vec<&str> = filter
        .split(',')
        .filter_map(|directive| {
            let (target, _) = directive.split_once('=')?;
            let target = target.split('[').next().unwrap_or(target).trim();
            Some(target.split("::").next().unwrap_or(target))
        })
        .collect();
    let quiet = QUIET_DEPENDENCIES
        .iter()
        .filter(|dependency| !named.contains(dependency))
        .map(|dependency| format!("{dependency}=warn"));
    let directives: Vec<String> = std::iter::once(filter.trim().to_owned())
        .filter(|filter| !filter.is_empty())
        .chain(quiet)
        .collect();
    directives.join(",")
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
    // Colours only on a terminal: in a file or a collector they are escape codes.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
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

    fn quieted(filter: &str) -> Vec<String> {
        effective_filter(filter)
            .split(',')
            .filter(|directive| directive.ends_with("=warn"))
            .map(|directive| directive.trim_end_matches("=warn").to_owned())
            .collect()
    }

    #[test]
    fn dependencies_stay_at_warn_unless_named_one_by_one() {
        assert_eq!(quieted("trace"), QUIET_DEPENDENCIES);
        assert!(effective_filter("trace").starts_with("trace,serenity=warn,tungstenite=warn,"));
        let named = quieted("info,serenity=error,hyper::proto=debug");
        assert!(!named.contains(&"serenity".to_owned()), "{named:?}");
        assert!(!named.contains(&"hyper".to_owned()), "{named:?}");
        // Naming one library does not free another whose name contains it.
        let named = quieted("tokio_tungstenite=debug");
        assert!(named.contains(&"tungstenite".to_owned()), "{named:?}");
        assert!(effective_filter("").starts_with("serenity=warn,"));
        assert!(EnvFilter::try_new(effective_filter("trace")).is_ok());
    }
}
