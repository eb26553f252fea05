//! `factbot run`: every chat platform factbot has credentials for (Discord, Slack), in one
//! process, until SIGINT or SIGTERM; SIGHUP reloads the facts.
//!
//! A platform runs when its credentials are found, unless its section says `enabled = false`;
//! `enabled = true` without credentials, or no platform at all, exits 2 saying how to set one
//! up. Tokens and API addresses come from the environment here (`DISCORD_TOKEN`,
//! `SLACK_BOT_TOKEN`, `SLACK_APP_TOKEN`, `FACTBOT_DISCORD_API_URL`, `FACTBOT_DISCORD_CA_CERT`,
//! `FACTBOT_SLACK_API_URL`) so the library takes them as plain values and tests can run several
//! bots in one process. Here
//! too the services the platforms share start: the history writer, the facts folder watcher
//! and the SIGHUP listener.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use crate::config::{Config, DiscordConfig, SlackConfig};
use crate::conversation::Services;
use crate::discord::{self, Token};
use crate::history::{HeartbeatSource, History, ProcessInfo, Settings};
use crate::reload::{Reloader, Trigger};
use crate::slack::{self, Tokens};
use crate::store::FactStore;

/// At most this many async worker threads, whatever the machine: a reply is a few hundred
/// microseconds of work, and each worker keeps its own allocator heap and stack (tokio's
/// default is one worker a core).
const WORKER_THREADS: usize = 2;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// How long shutdown waits for queued records to reach the database.
const HISTORY_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Register the slash commands (to `discord.guild_ids`, else globally) and exit
    #[arg(long)]
    register_only: bool,
}

/// Whether a platform runs, from its `enabled` and whether its credentials were found.
#[derive(Debug)]
enum Platform<T> {
    Off,
    Ready(T),
    /// Set-up is wrong (exit 2): the message says what to do.
    Refused(String),
}

impl<T> Platform<T> {
    /// `found` is `Ok(None)` when no credential is set anywhere, `Err` when one is set but
    /// unusable.
    fn decide(
        enabled: Option<bool>,
        found: impl FnOnce() -> Result<Option<T>, String>,
        how: &str,
    ) -> Self {
        if enabled == Some(false) {
            return Self::Off;
        }
        match found() {
            Ok(Some(credentials)) => Self::Ready(credentials),
            Ok(None) if enabled == Some(true) => Self::Refused(how.to_owned()),
            Ok(None) => Self::Off,
            Err(message) => Self::Refused(message),
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn discord_platform(config: &Config) -> Platform<(DiscordConfig, Token)> {
    let mut discord_config = config.discord.clone();
    if let Some(url) = env(discord::API_URL_ENV) {
        discord_config.api_url = Some(url);
    }
    if let Some(path) = env(discord::CA_CERT_ENV) {
        discord_config.ca_cert = Some(path.into());
    }
    Platform::decide(
        discord_config.enabled,
        || match Token::resolve(
            env(discord::TOKEN_ENV),
            discord_config.token_file.as_deref(),
        ) {
            Ok(token) => Ok(Some((discord_config.clone(), token))),
            Err(discord::TokenError::Missing) => Ok(None),
            Err(error) => Err(error.to_string()),
        },
        discord::HOW_TO_GET_A_TOKEN,
    )
}

fn slack_platform(config: &Config) -> Platform<(SlackConfig, Tokens)> {
    let mut slack_config = config.slack.clone();
    if let Some(url) = env(slack::API_URL_ENV) {
        slack_config.api_url = Some(url);
    }
    Platform::decide(
        slack_config.enabled,
        || match Tokens::resolve(
            env,
            slack_config.bot_token_file.as_deref(),
            slack_config.app_token_file.as_deref(),
        ) {
            Ok(tokens) => Ok(Some((slack_config.clone(), tokens))),
            Err(slack::TokenError::Missing) => Ok(None),
            Err(error) => Err(error.to_string()),
        },
        slack::HOW_TO_GET_TOKENS,
    )
}

/// Exit 2 with the steps to follow, not an error chain: this is set-up, not a failure.
fn set_up(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("factbot: {message}");
    Ok(ExitCode::from(2))
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let discord = match discord_platform(config) {
        Platform::Refused(message) => return set_up(&message),
        Platform::Ready(ready) => Some(ready),
        Platform::Off => None,
    };
    let slack = match slack_platform(config) {
        Platform::Refused(message) => return set_up(&message),
        Platform::Ready(ready) => Some(ready),
        Platform::Off => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS.min(cores()))
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    if args.register_only {
        let Some((discord_config, token)) = &discord else {
            return set_up(discord::HOW_TO_GET_A_TOKEN);
        };
        let registered = runtime.block_on(discord::register_only(discord_config, token))?;
        println!("registered: {registered:?}");
        return Ok(ExitCode::SUCCESS);
    }
    if discord.is_none() && slack.is_none() {
        return set_up(&format!(
            "no chat platform to run: factbot runs on Discord, Slack or both, given their \
             credentials (see the README, \"Which platform\").\n\nFor Discord, {}\n\nFor Slack, {}",
            discord::HOW_TO_GET_A_TOKEN,
            slack::HOW_TO_GET_TOKENS
        ));
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
    let history = config
        .history
        .enabled
        .then(|| Arc::new(start_history(config, &reloader)));
    let services = Services {
        reloader: Arc::clone(&reloader),
        history: history.clone(),
        corrections: config.corrections.clone(),
    };
    let result = runtime.block_on(async {
        let _hangups = reload_on_hangup(Arc::clone(&reloader));
        let _beats = history
            .as_ref()
            .map(|history| beat_after_reloads(&reloader, Arc::clone(history)));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let _signals = AbortOnDrop(tokio::spawn(async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        }));
        let on_stop = || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }
        };
        let discord_run = async {
            match &discord {
                Some((config, token)) => discord::run(config, token, services.clone(), on_stop())
                    .await
                    .context("Discord stopped"),
                None => Ok(()),
            }
        };
        let slack_run = async {
            match &slack {
                Some((config, tokens)) => slack::run(config, tokens, services.clone(), on_stop())
                    .await
                    .context("Slack stopped"),
                None => Ok(()),
            }
        };
        tokio::try_join!(discord_run, slack_run).map(drop)
    });
    if let Some(history) = history {
        history.close(HISTORY_GRACE);
    }
    result?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The question log's writer, with this process's heartbeat: its shards, and its facts as
/// the reloader has them at each beat. The first shard makes its record ids unique in a fleet.
fn start_history(config: &Config, reloader: &Arc<Reloader>) -> History {
    let shards = config
        .discord
        .shard_range
        .map(|range| [range.first, range.last, range.total]);
    let mut settings = Settings::new(&config.history.database, config.history.retention_days);
    settings.instance = shards.map_or(0, |[first, _, _]| first);
    let reloader = Arc::clone(reloader);
    settings.heartbeat = Some(HeartbeatSource {
        info: ProcessInfo::current(shards),
        every: config.history.heartbeat_every(),
        facts: Box::new(move || reloader.facts_state()),
    });
    History::start_with(settings)
}

/// A heartbeat right after each reload, so the fleet view shows a new version (or a failed
/// reload) at once rather than at the next beat.
fn beat_after_reloads(reloader: &Reloader, history: Arc<History>) -> AbortOnDrop {
    let mut attempts = reloader.subscribe();
    AbortOnDrop(tokio::spawn(async move {
        loop {
            match attempts.recv().await {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    history.beat_now();
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    }))
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
