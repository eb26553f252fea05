//! factbot on Discord: the only module that knows the Discord library.
//!
//! [`run`] connects, registers the slash commands, answers mentions, DMs, `/ask`, `/facts`,
//! the moderators' `/factsadmin`, autocomplete and buttons until the shutdown future
//! completes, then stops taking events, lets replies in flight finish and closes the gateway.
//! This module only converts: events in (`messages`, `commands`, `components`, `autocomplete`,
//! `moderation`, dispatched by `handler`), calls to the core's
//! [`crate::conversation::Conversation`], and its values out as serenity builders, all made
//! in [`convert`]. Modules depend downwards only (a tidy test checks there is no cycle):
//! `handler` → event modules → `bot` → `policy`, with `convert` and `retry` as leaves.

mod autocomplete;
mod bot;
mod commands;
mod components;
mod convert;
mod corrections;
mod handler;
mod messages;
mod moderation;
mod policy;
mod rest;
mod retry;
mod threads;
mod token;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ClientBuilder, GatewayError, GatewayIntents, Http};

pub use commands::Registered;
pub use token::{Token, TokenError, HOW_TO_GET_A_TOKEN, TOKEN_ENV};

use crate::config::{DiscordConfig, Shards};
pub use crate::conversation::Services;

/// The environment variable that overrides `discord.api_url`.
pub const API_URL_ENV: &str = "FACTBOT_DISCORD_API_URL";
/// The environment variable naming a CA (PEM) to trust for discord.com at an `https://`
/// `api_url`.
pub const CA_CERT_ENV: &str = "FACTBOT_DISCORD_CA_CERT";

/// How long shutdown waits for replies in flight before closing the gateway anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Guild messages (content only when the bot is mentioned) and DMs: no privileged intent.
pub const INTENTS: GatewayIntents =
    GatewayIntents::GUILD_MESSAGES.union(GatewayIntents::DIRECT_MESSAGES);

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("discord.api_url must be http://… or https://… (https://HOST:PORT with FACTBOT_DISCORD_CA_CERT), not {0:?}")]
    BadApiUrl(String),
    #[error("FACTBOT_DISCORD_CA_CERT: {0}")]
    BadCaCert(String),
    #[error("Discord refused the bot token ({0}); check DISCORD_TOKEN or token_file, or reset the token in the developer portal")]
    BadToken(String),
    #[error("cannot reach Discord: {0}")]
    Unreachable(String),
    #[error("cannot register the slash commands: {0}")]
    Register(String),
    #[error(
        "Discord refused the gateway intents (GUILD_MESSAGES, DIRECT_MESSAGES); neither is privileged, so \
         this should not happen: please report it"
    )]
    Intents,
    #[error("the gateway connection ended: {0}")]
    Gateway(String),
}

/// Learns the application id (needed for command routes) from the token's application.
async fn application_id(http: &Http) -> Result<(), DiscordError> {
    let info = retry::send("application info", || http.get_current_application_info())
        .await
        .map_err(|error| match retry::status_of(&error) {
            Some(401 | 403) => DiscordError::BadToken(retry::describe(&error)),
            _ => DiscordError::Unreachable(retry::describe(&error)),
        })?;
    http.set_application_id(info.id);
    Ok(())
}

/// The bot's own user id (`GET /users/@me`): mentions of it are questions, its own
/// messages are not.
async fn own_user_id(http: &Http) -> Result<u64, DiscordError> {
    let me = retry::send("current user", || http.get_current_user())
        .await
        .map_err(|error| DiscordError::Unreachable(retry::describe(&error)))?;
    Ok(me.id.get())
}

/// Registers the slash commands and returns, for `factbot run --register-only`.
pub async fn register_only(
    config: &DiscordConfig,
    token: &Token,
) -> Result<Registered, DiscordError> {
    let http = rest::http(config, token)?;
    application_id(&http).await?;
    commands::register(&http, &config.guild_ids, config.moderator_permission)
        .await
        .map_err(|error| DiscordError::Register(retry::describe(&error)))
}

/// Runs the bot until `shutdown` completes (then shuts down gracefully) or the gateway
/// connection ends for good.
pub async fn run(
    config: &DiscordConfig,
    token: &Token,
    services: impl Into<Services>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), DiscordError> {
    let services = services.into();
    let recorder = corrections::start(config, token, &services)?;
    let http = rest::http(config, token)?;
    application_id(&http).await?;
    // Known before the gateway connects, so no event is ever judged without it.
    let user_id = own_user_id(&http).await?;
    let bot = Arc::new(bot::Bot::new(config, services, recorder, user_id));
    let client = ClientBuilder::new_with_http(http, INTENTS)
        .event_handler(handler::Handler(Arc::clone(&bot)));
    let mut client = client
        .await
        .map_err(|error| DiscordError::Unreachable(retry::describe(&error)))?;
    // Ends with `run`, whatever way it returns.
    let _log_channel = config.log_channel_id.map(|channel| {
        AbortOnDrop(tokio::spawn(moderation::post_reloads(
            Arc::clone(&client.http),
            Arc::clone(&bot),
            channel.0,
        )))
    });
    match commands::register(&client.http, &config.guild_ids, config.moderator_permission).await {
        Ok(registered) => tracing::info!(?registered, "slash commands registered"),
        Err(error) => tracing::error!(
            "cannot register the slash commands, mentions and DMs still work: {}",
            retry::describe(&error)
        ),
    }
    let shard_manager = Arc::clone(&client.shard_manager);
    let (range, shards) = (config.shard_range, config.shards);
    let mut gateway = tokio::spawn(async move {
        match (range, shards) {
            // The library's range is inclusive of its end, like `shard_range`.
            (Some(range), _) => {
                client
                    .start_shard_range(range.first..range.last, range.total)
                    .await
            }
            (None, Shards::Fixed(total)) => client.start_shards(total).await,
            (None, Shards::Auto) => client.start_autosharded().await,
        }
    });
    tokio::select! {
        () = shutdown => {
            tracing::info!("shutting down: finishing replies in flight");
            if !bot.conversation.lifecycle.drain(SHUTDOWN_GRACE).await {
                tracing::warn!("replies still in flight after {SHUTDOWN_GRACE:?}; closing anyway");
            }
            shard_manager.shutdown_all().await;
            match tokio::time::timeout(SHUTDOWN_GRACE, &mut gateway).await {
                Ok(ended) => gateway_result(ended),
                Err(_) => {
                    gateway.abort();
                    Ok(())
                }
            }
        }
        ended = &mut gateway => gateway_result(ended),
    }
}

/// A background task that must not outlive the bot.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn gateway_result(
    ended: Result<serenity::Result<()>, tokio::task::JoinError>,
) -> Result<(), DiscordError> {
    match ended {
        Ok(Ok(())) => Ok(()),
        Ok(Err(serenity::Error::Gateway(GatewayError::InvalidAuthentication))) => {
            Err(DiscordError::BadToken("gateway closed 4004".into()))
        }
        Ok(Err(serenity::Error::Gateway(
            GatewayError::DisallowedGatewayIntents | GatewayError::InvalidGatewayIntents,
        ))) => Err(DiscordError::Intents),
        Ok(Err(error)) => Err(DiscordError::Gateway(retry::describe(&error))),
        Err(join) => Err(DiscordError::Gateway(join.to_string())),
    }
}
