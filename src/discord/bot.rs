//! What the Discord handlers share: the core's [`Conversation`] plus the little that is
//! Discord's own (who moderates, whether replies ping, the bot's user id).

use super::policy::Policy;
use super::retry;
use super::threads::Parents;
use crate::config::DiscordConfig;
use crate::conversation::{Answered, Asked, Conversation, Notice, Services, Settings};
use crate::corrections::Recorder;

/// Why a handler gave up; logged, never shown to members.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HandlerError {
    #[error("Discord call failed: {}", retry::describe(.0))]
    Discord(#[from] serenity::Error),
}

/// Everything the handlers share. Immutable but for the atomics and the conversation's limiter.
pub(crate) struct Bot {
    pub conversation: Conversation,
    /// Files each reply sent about a fact, so a reload that changes the fact can correct it.
    pub corrections: Recorder,
    pub moderators: Policy,
    /// Where the moderators' actions are reported (reloads, suggestions added or dismissed).
    pub log_channel: Option<u64>,
    pub reply_ping: bool,
    /// The bot's own user id, learnt before the gateway connects (`GET /users/@me`): READY's
    /// handler runs concurrently with the first messages, so it would be too late.
    pub user_id: u64,
    /// Threads' parents, learnt for messages in channels the allow-list does not name.
    pub threads: Parents,
}

impl Bot {
    pub(crate) fn new(
        config: &DiscordConfig,
        services: Services,
        corrections: Recorder,
        user_id: u64,
    ) -> Self {
        let settings = Settings {
            user_cooldown: Settings::seconds(config.user_cooldown_secs),
            channel_max_answers: config.channel_max_answers,
            channel_window: Settings::seconds(config.channel_window_secs),
            helpful_buttons: config.helpful_buttons,
            allowed_channels: config
                .allowed_channels
                .iter()
                .map(|(guild, channels)| {
                    (guild.0, channels.iter().map(|channel| channel.0).collect())
                })
                .collect(),
            allowed_anywhere: None,
        };
        Self {
            conversation: Conversation::new(settings, services),
            corrections,
            moderators: Policy::new(
                config.moderator_role_ids.iter().map(|role| role.0),
                config.moderator_permission,
            ),
            log_channel: config.log_channel_id.map(|channel| channel.0),
            reply_ping: config.reply_ping,
            user_id,
            threads: Parents::default(),
        }
    }

    /// Answers a mention, a DM or `/ask` through the conversation, and logs how.
    pub(crate) fn answer(&self, asked: Asked<'_>) -> Result<Answered, Notice> {
        let answered = self.conversation.ask(asked)?;
        let reply = &answered.reply;
        tracing::info!(
            kind = ?reply.kind,
            fact = reply.fact.as_ref().map(|f| f.as_str()),
            via = asked.via.as_str(),
            "answered"
        );
        Ok(answered)
    }
}
