//! `factbot run`: the Discord bot, until SIGINT or SIGTERM; SIGHUP reloads the facts.
//!
//! The token and the API address come from the environment here (`DISCORD_TOKEN`,
//! `FACTBOT_DISCORD_API_URL`) so the library takes them as plain values and tests can run
//! several bots in one process. Here too the services around the bot start: the history
//! writer, the facts folder watcher and the SIGHUP listener.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use crate::config::Config;
use crate::discord::{self, Services, Token};
use crate::history::History;
use crate::reload::{Reloader, Trigger};
use crate::store::FactStore;

/// How long shutdown waits for queued records to reach the database.
const HISTORY_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Register the slash commands (to `discord.guild_ids`, else globally) and exit
    #[arg(long)]
    register_only: bool,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut discord_config = config.discord.clone();
    if let Some(url) = std::env::var(discord::API_URL_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        discord_config.api_url = Some(url);
    }
    let token = match Token::resolve(
        std::env::var(discord::TOKEN_ENV).ok(),
        discord_config.token_file.as_deref(),
    ) {
        Ok(token) => token,
        // Exit 2 with the steps to follow, not an error chain: this is set-up, not a failure.
        Err(error) => {
            eprintln!("factbot: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    if args.register_only {
        let registered = runtime.block_on(discord::register_only(&discord_config, &token))?;
        println!("registered: {registered:?}");
        return Ok(ExitCode::SUCCESS);
    }
    let paths = super::facts_paths(config, &[]);
    let store = match FactStore::open_with(
        paths.clone(),
        config.matching.clone(),
        config.load_options(),
    ) {
        Ok(store) => Arc::new(store),
        Err(error) => {
            for diagnostic in error.diagnostics() {
                eprintln!("{}", super::terminal::safe(&diagnostic.to_string()));
            }
            anyhow::bail!(
                "{error}; fix them and try again (`factbot check {}` lists them)",
                super::display_paths(&paths)
            );
        }
    };
    let reloader = Arc::new(Reloader::new(store));
    // Kept alive until the bot stops; dropping it stops watching.
    let _watcher = if config.reload.watch {
        match reloader.watch(config.reload.debounce()) {
            Ok(watcher) => Some(watcher),
            Err(error) => {
                tracing::warn!("{error}; edits are picked up only on SIGHUP or /factsadmin reload");
                None
            }
        }
    } else {
        None
    };
    let history = config.history.enabled.then(|| {
        Arc::new(History::start(
            &config.history.database,
            config.history.retention_days,
        ))
    });
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: history.clone(),
    };
    let result = runtime.block_on(async {
        let _hangups = reload_on_hangup(Arc::clone(&reloader));
        discord::run(&discord_config, &token, services, shutdown_signal()).await
    });
    if let Some(history) = history {
        history.close(HISTORY_GRACE);
    }
    result?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Reloads the facts on each SIGHUP (the usual "re-read your files" signal of a service),
/// until the returned task is dropped.
fn reload_on_hangup(reloader: Arc<Reloader>) -> Option<AbortOnDrop> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(error) => {
                tracing::warn!(
                    "cannot listen for SIGHUP ({error}); reload with /factsadmin reload"
                );
                return None;
            }
        };
        Some(AbortOnDrop(tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                reloader.reload(Trigger::Signal).await;
            }
        })))
    }
    #[cfg(not(unix))]
    {
        let _ = reloader;
        None
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (what service managers send).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(error) => {
                    tracing::warn!(
                        "cannot listen for SIGTERM ({error}); only Ctrl-C stops the bot"
                    );
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
