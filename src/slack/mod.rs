//! factbot on Slack, over Socket Mode: the only module that talks to Slack.
//!
//! Socket Mode needs no public address, so it works behind a newsroom's firewall. [`run`]
//! checks the bot token (`auth.test`), opens the websocket (`socket`), and hands every
//! envelope, already acked, to a task of its own (`handler`), until the shutdown future
//! completes; then it stops taking events, lets replies in flight finish and closes the socket.
//! It converts only: the conversation is the core's, the Block Kit bodies come from `blocks`.
//!
//! Why no Slack crate: `slack-morphism` (the best-kept one) acks a Socket Mode envelope only
//! after the event callback returns, does not deduplicate re-sent envelopes, and has no way to
//! put the ack before slow work; its Web API client is also built on another HTTP stack. The
//! few calls factbot makes are simple JSON, so `api` is a thin client over reqwest and
//! `socket` one over tokio-tungstenite, both already in the build through serenity.

mod api;
mod blocks;
mod bot;
mod corrections;
mod events;
mod handler;
mod ids;
mod socket;
mod token;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

pub use api::{ApiError, SLACK_API_URL};
pub use socket::{FIRST_BACKOFF, LONGEST_BACKOFF};
pub use token::{TokenError, Tokens, APP_TOKEN_ENV, BOT_TOKEN_ENV, HOW_TO_GET_TOKENS};

use crate::config::SlackConfig;
use crate::conversation::{catch, Conversation, Failure, ReloadLog, Services, Settings};
use bot::SlackBot;
use socket::Seen;

/// The environment variable that overrides `slack.api_url`.
pub const API_URL_ENV: &str = "FACTBOT_SLACK_API_URL";

/// How long shutdown waits for replies in flight before closing anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum SlackError {
    #[error(transparent)]
    Api(ApiError),
    #[error("Slack refused the {which} token ({code}); check {env} or slack.{file}, or reinstall the app")]
    BadToken {
        which: &'static str,
        code: String,
        env: &'static str,
        file: &'static str,
    },
}

fn settings(config: &SlackConfig) -> Settings {
    let channels: std::collections::HashSet<u64> = config
        .allowed_channels
        .iter()
        .map(|id| ids::number(id))
        .collect();
    Settings {
        user_cooldown: Settings::seconds(config.user_cooldown_secs),
        channel_max_answers: config.channel_max_answers,
        channel_window: Settings::seconds(config.channel_window_secs),
        helpful_buttons: config.helpful_buttons,
        allowed_channels: Default::default(),
        allowed_anywhere: (!channels.is_empty()).then_some(channels),
    }
}

/// Runs the Slack bot until `shutdown` completes.
pub async fn run(
    config: &SlackConfig,
    tokens: &Tokens,
    services: impl Into<Services>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SlackError> {
    let api = api::WebApi::new(config.api_url.as_deref()).map_err(SlackError::Api)?;
    let me = api
        .auth_test(tokens.bot())
        .await
        .map_err(|error| match error.code() {
            Some(code) => SlackError::BadToken {
                which: "bot",
                code: code.to_owned(),
                env: BOT_TOKEN_ENV,
                file: "bot_token_file",
            },
            None => SlackError::Api(error),
        })?;
    tracing::info!(user = %me.user_id, team = %me.team_id, "connected to Slack");
    let services = services.into();
    let recorder = corrections::start(config, tokens.bot(), &services).map_err(SlackError::Api)?;
    let bot = Arc::new(SlackBot {
        conversation: Conversation::new(settings(config), services),
        api,
        bot_token: tokens.bot().to_owned(),
        me,
        moderator_groups: config.moderator_user_groups.clone(),
        log_channel: config.log_channel.clone(),
        corrections: recorder,
    });
    let _log_channel = config
        .log_channel
        .clone()
        .map(|channel| AbortOnDrop(tokio::spawn(post_reloads(Arc::clone(&bot), channel))));
    let (envelopes_tx, mut envelopes) = mpsc::channel(256);
    let (stop_tx, stop) = watch::channel(false);
    let socket_api =
        Arc::new(api::WebApi::new(config.api_url.as_deref()).map_err(SlackError::Api)?);
    let mut socket = tokio::spawn(socket::run(
        socket_api,
        tokens.app().to_owned(),
        envelopes_tx,
        stop,
    ));
    let seen = Seen::default();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            ended = &mut socket => {
                return match ended {
                    Ok(Err(error)) => Err(match error.code() {
                        Some(code) => SlackError::BadToken {
                            which: "app-level",
                            code: code.to_owned(),
                            env: APP_TOKEN_ENV,
                            file: "app_token_file",
                        },
                        None => SlackError::Api(error),
                    }),
                    _ => Ok(()),
                };
            }
            envelope = envelopes.recv() => {
                let Some(envelope) = envelope else { break };
                if !seen.first(&envelope.key) {
                    tracing::info!(key = %envelope.key, retry = envelope.retry_attempt, "re-sent envelope already handled");
                    continue;
                }
                let bot = Arc::clone(&bot);
                tokio::spawn(async move {
                    let Some(_in_flight) = bot.conversation.lifecycle.enter() else {
                        return;
                    };
                    match catch(bot.handle(envelope.event)).await {
                        Ok(()) => {}
                        Err(Failure::Error(error)) => tracing::error!("Slack handler failed: {error}"),
                        Err(Failure::Panic(message)) => tracing::error!("Slack handler panicked: {message}"),
                    }
                });
            }
        }
    }
    tracing::info!("shutting down Slack: finishing replies in flight");
    if !bot.conversation.lifecycle.drain(SHUTDOWN_GRACE).await {
        tracing::warn!("Slack replies still in flight after {SHUTDOWN_GRACE:?}; closing anyway");
    }
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, socket).await;
    Ok(())
}

/// Posts each reload attempt worth telling to the moderators' log channel.
async fn post_reloads(bot: Arc<SlackBot>, channel: String) {
    let mut attempts = bot.conversation.reloader().subscribe();
    let mut log = ReloadLog::default();
    loop {
        let attempt = match attempts.recv().await {
            Ok(attempt) => attempt,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(
                    missed,
                    "reload attempts not posted to the Slack log channel"
                );
                continue;
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let Some(report) = log.report(&attempt) else {
            continue;
        };
        bot.post_log(&channel, &report).await;
    }
}

/// A background task that must not outlive the bot.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
