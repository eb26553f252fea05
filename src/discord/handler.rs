//! Gateway events to handlers, with the guarantees of the core's lifecycle: a panic or an
//! error in one never takes the bot down (the member gets a short apology, the log the
//! detail), no new work starts once shutdown began, and work in flight is counted so shutdown
//! can let it finish.

use std::sync::Arc;

use serenity::all::{
    CommandInteraction, ComponentInteraction, Context, CreateInteractionResponse, EventHandler,
    Interaction, Message, Ready, ResumedEvent,
};

use super::bot::{Bot, HandlerError};
use super::{autocomplete, commands, components, convert, messages, retry};
use crate::conversation::{catch, Failure, Notice};

fn log_failure(event: &str, failure: &Failure<HandlerError>) {
    match failure {
        Failure::Error(error) => tracing::error!(event, "handler failed: {error}"),
        Failure::Panic(message) => {
            tracing::error!(event, "handler panicked: {}", retry::redact(message))
        }
    }
}

pub(crate) struct Handler(pub Arc<Bot>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let shard = ready
            .shard
            .map(|shard| format!("{}/{}", shard.id.0, shard.total))
            .unwrap_or_default();
        tracing::info!(user = %ready.user.name, shard, guilds = ready.guilds.len(), "connected to Discord");
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn message(&self, ctx: Context, message: Message) {
        let Some(_in_flight) = self.0.conversation.lifecycle.enter() else {
            return;
        };
        if let Err(failure) = catch(messages::handle(&ctx, &self.0, &message)).await {
            log_failure("message", &failure);
            let apology = messages::the_reply_to(
                &message,
                convert::text_message(&Notice::SomethingWentWrong, self.0.reply_ping),
            );
            if let Err(error) = message.channel_id.send_message(&ctx.http, apology).await {
                tracing::warn!("could not apologise either: {}", retry::describe(&error));
            }
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Some(_in_flight) = self.0.conversation.lifecycle.enter() else {
            return;
        };
        let bot = &self.0;
        let (event, outcome) = match &interaction {
            Interaction::Command(command) => {
                ("command", catch(commands::handle(&ctx, bot, command)).await)
            }
            Interaction::Autocomplete(request) => (
                "autocomplete",
                catch(autocomplete::handle(&ctx, bot, request)).await,
            ),
            Interaction::Component(click) => (
                "component",
                catch(components::handle(&ctx, bot, click)).await,
            ),
            _ => return,
        };
        if let Err(failure) = outcome {
            log_failure(event, &failure);
            match &interaction {
                Interaction::Command(command) => apologise_command(&ctx, command).await,
                Interaction::Component(click) => apologise_component(&ctx, click).await,
                _ => {}
            }
        }
    }
}

/// Tells the member something went wrong: as the response if none was sent, else as a
/// private follow-up.
async fn apologise_command(ctx: &Context, command: &CommandInteraction) {
    let response =
        CreateInteractionResponse::Message(convert::interaction_notice(Notice::SomethingWentWrong));
    if command.create_response(&ctx.http, response).await.is_err() {
        let _ = command
            .create_followup(
                &ctx.http,
                convert::followup_notice(Notice::SomethingWentWrong),
            )
            .await;
    }
}

async fn apologise_component(ctx: &Context, click: &ComponentInteraction) {
    let response =
        CreateInteractionResponse::Message(convert::interaction_notice(Notice::SomethingWentWrong));
    if click.create_response(&ctx.http, response).await.is_err() {
        let _ = click
            .create_followup(
                &ctx.http,
                convert::followup_notice(Notice::SomethingWentWrong),
            )
            .await;
    }
}
