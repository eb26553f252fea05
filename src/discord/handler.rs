//! Gateway events to handlers, with the guarantees every handler gets for free: a panic or an
//! error in one never takes the bot down (the member gets a short apology, the log the
//! detail), no new work starts once shutdown began, and work in flight is counted so shutdown
//! can let it finish.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{
    CommandInteraction, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseFollowup, EventHandler, Interaction, Message, Ready, ResumedEvent,
};
use serenity::futures::FutureExt as _;
use tokio::sync::Notify;

use super::cooldown::{Limiter, Verdict};
use super::moderation::Policy;
use super::{autocomplete, commands, components, convert, messages, retry, Services};
use crate::config::DiscordConfig;
use crate::history::{History, Question, QuestionId, Via};
use crate::matcher::Outcome;
use crate::reload::Reloader;
use crate::reply::{Reply, ReplyKind};
use crate::store::{FactStore, Snapshot};

/// Why a handler gave up; logged, never shown to members.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HandlerError {
    #[error("Discord call failed: {}", retry::describe(.0))]
    Discord(#[from] serenity::Error),
}

/// Everything the handlers share. Immutable but for the atomics and the limiter's maps.
pub(crate) struct Bot {
    pub store: Arc<FactStore>,
    pub reloader: Arc<Reloader>,
    /// Where questions are recorded; `None` when recording is off.
    pub history: Option<Arc<History>>,
    pub moderators: Policy,
    /// Whether answers carry "Was this helpful?" buttons.
    pub helpful_buttons: bool,
    pub reply_ping: bool,
    /// Guild id → the only channels answered in there.
    allowed_channels: HashMap<u64, HashSet<u64>>,
    limiter: Limiter,
    /// The bot's own user id, from READY (0 until then).
    pub user_id: AtomicU64,
    pub suggestions: autocomplete::Cache,
    lifecycle: Lifecycle,
}

impl Bot {
    pub(crate) fn new(config: &DiscordConfig, services: Services) -> Self {
        let seconds =
            |secs: f64| Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(Duration::ZERO);
        Self {
            store: Arc::clone(services.reloader.store()),
            reloader: services.reloader,
            history: services.history,
            moderators: Policy::new(
                config.moderator_role_ids.iter().map(|role| role.0),
                config.moderator_permission,
            ),
            helpful_buttons: config.helpful_buttons,
            reply_ping: config.reply_ping,
            allowed_channels: config
                .allowed_channels
                .iter()
                .map(|(guild, channels)| {
                    (guild.0, channels.iter().map(|channel| channel.0).collect())
                })
                .collect(),
            limiter: Limiter::new(
                seconds(config.user_cooldown_secs),
                config.channel_max_answers,
                seconds(config.channel_window_secs),
            ),
            user_id: AtomicU64::new(0),
            suggestions: autocomplete::Cache::default(),
            lifecycle: Lifecycle::default(),
        }
    }

    /// Whether the bot speaks in `channel` of `guild` (`None`: a DM, always).
    pub(crate) fn channel_allowed(&self, guild: Option<u64>, channel: u64) -> bool {
        match guild.and_then(|guild| self.allowed_channels.get(&guild)) {
            Some(channels) => channels.contains(&channel),
            None => true,
        }
    }

    /// Counts a question from `user` in `channel`; `Some(verdict)` when it is refused.
    pub(crate) fn limit(&self, user: u64, channel: u64) -> Option<Verdict> {
        match self.limiter.check(user, channel, Instant::now()) {
            Verdict::Allowed => None,
            refused => Some(refused),
        }
    }

    /// Records a handled question (never blocks; see [`History`]); its id when recording is on.
    pub(crate) fn record(
        &self,
        snapshot: &Snapshot,
        question: &str,
        outcome: &Outcome,
        via: Via,
        guild: Option<u64>,
        channel: u64,
    ) -> Option<QuestionId> {
        let history = self.history.as_ref()?;
        let record = Question::new(snapshot, question, outcome, via, guild, Some(channel));
        Some(history.record(record))
    }

    /// The "Was this helpful?" button ids for `reply`, when the config asks for them and the
    /// reply is an answer.
    pub(crate) fn feedback(
        &self,
        reply: &Reply,
        question: Option<QuestionId>,
    ) -> Option<(String, String)> {
        if !self.helpful_buttons || reply.kind != ReplyKind::Answer {
            return None;
        }
        components::helpful_ids(question, reply.fact.as_ref()?)
    }

    /// Like [`Self::limit`], for interactions, which always get the notice.
    pub(crate) fn refusal(&self, user: u64, channel: u64) -> Option<String> {
        self.limit(user, channel)
            .and_then(|verdict| verdict.notice())
    }

    /// Stops new work and waits up to `grace` for the work in flight.
    pub(crate) async fn drain(&self, grace: Duration) -> bool {
        self.lifecycle.stopping.store(true, Ordering::SeqCst);
        let wait = async {
            loop {
                let idle = self.lifecycle.idle.notified();
                if self.lifecycle.in_flight.load(Ordering::SeqCst) == 0 {
                    return;
                }
                idle.await;
            }
        };
        tokio::time::timeout(grace, wait).await.is_ok()
    }
}

#[derive(Default)]
struct Lifecycle {
    stopping: AtomicBool,
    in_flight: AtomicUsize,
    idle: Notify,
}

/// Held while a handler runs.
struct InFlight<'a>(&'a Lifecycle);

impl Lifecycle {
    fn enter(&self) -> Option<InFlight<'_>> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let guard = InFlight(self);
        // Checked after counting, so `drain` either sees this handler or it sees `stopping`.
        (!self.stopping.load(Ordering::SeqCst)).then_some(guard)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// What went wrong in a handler: its error, or the message of its panic.
#[derive(Debug)]
pub(crate) enum Failure {
    Error(HandlerError),
    Panic(String),
}

/// Runs `work`, turning a panic into a [`Failure`] instead of a dead task.
pub(crate) async fn catch(
    work: impl Future<Output = Result<(), HandlerError>>,
) -> Result<(), Failure> {
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(Failure::Error(error)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned());
            Err(Failure::Panic(
                message.unwrap_or_else(|| "a panic without a message".to_owned()),
            ))
        }
    }
}

fn log_failure(event: &str, failure: &Failure) {
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
        self.0.user_id.store(ready.user.id.get(), Ordering::SeqCst);
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
        let Some(_in_flight) = self.0.lifecycle.enter() else {
            return;
        };
        if let Err(failure) = catch(messages::handle(&ctx, &self.0, &message)).await {
            log_failure("message", &failure);
            let apology = convert::text_message(convert::SOMETHING_WENT_WRONG, self.0.reply_ping)
                .reference_message(messages::reply_to(&message));
            if let Err(error) = message.channel_id.send_message(&ctx.http, apology).await {
                tracing::warn!("could not apologise either: {}", retry::describe(&error));
            }
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Some(_in_flight) = self.0.lifecycle.enter() else {
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
    let response = CreateInteractionResponse::Message(convert::interaction_notice(
        convert::SOMETHING_WENT_WRONG,
    ));
    if command.create_response(&ctx.http, response).await.is_err() {
        let _ = command.create_followup(&ctx.http, followup_apology()).await;
    }
}

async fn apologise_component(ctx: &Context, click: &ComponentInteraction) {
    let response = CreateInteractionResponse::Message(convert::interaction_notice(
        convert::SOMETHING_WENT_WRONG,
    ));
    if click.create_response(&ctx.http, response).await.is_err() {
        let _ = click.create_followup(&ctx.http, followup_apology()).await;
    }
}

fn followup_apology() -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(convert::SOMETHING_WENT_WRONG)
        .allowed_mentions(convert::allowed_mentions(None, false))
        .ephemeral(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn panics_and_errors_become_failures() {
        assert!(catch(async { Ok(()) }).await.is_ok());
        let panicked = catch(async { panic!("boom {}", 1) }).await;
        assert!(
            matches!(panicked, Err(Failure::Panic(ref message)) if message == "boom 1"),
            "{panicked:?}"
        );
        let failed =
            catch(async { Err(HandlerError::Discord(serenity::Error::Other("nope"))) }).await;
        assert!(matches!(failed, Err(Failure::Error(_))));
    }

    #[tokio::test]
    async fn drain_waits_for_work_in_flight_and_refuses_new_work() {
        let lifecycle = Arc::new(Lifecycle::default());
        let bot_like = Arc::clone(&lifecycle);
        let guard_task = tokio::spawn(async move {
            let _guard = bot_like.enter().unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        lifecycle.stopping.store(true, Ordering::SeqCst);
        assert!(lifecycle.enter().is_none());
        assert_eq!(lifecycle.in_flight.load(Ordering::SeqCst), 1);
        guard_task.await.unwrap();
        assert_eq!(lifecycle.in_flight.load(Ordering::SeqCst), 0);
    }
}
