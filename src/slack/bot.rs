//! What the Slack handlers share: the core's [`Conversation`] plus the little that is Slack's
//! own (the Web API client and bot token, the bot's identity, who moderates).

use super::api::{Identity, WebApi};
use crate::conversation::Conversation;
use crate::corrections::Recorder;

/// What the Slack handlers share.
pub(crate) struct SlackBot {
    pub conversation: Conversation,
    pub api: WebApi,
    pub bot_token: String,
    pub me: Identity,
    /// User groups whose members may use `/factsadmin` (besides workspace admins).
    pub moderator_groups: Vec<String>,
    /// Where the moderators' actions are reported (reloads, suggestions added or dismissed).
    pub log_channel: Option<String>,
    /// Files each answer sent about a fact, so a reload that changes the fact can correct it.
    pub corrections: Recorder,
}
