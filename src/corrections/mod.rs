//! Corrections: when a reload changes a fact's answer or retracts it, the replies the bot
//! already sent about that fact are edited to say so, on whatever platform they went out.
//!
//! This is platform-free. Adapters record each reply they send ([`Recorder::record`], never a
//! user id or name) and edit messages through an [`Editor`]; the rest is here: which answers a
//! reload changed ([`crate::facts::changed_answers`]), which earlier replies need which edit ([`plan`]),
//! and sending those edits paced, in the background, with one report per reload ([`start`]).
//! Interaction tokens (Discord's way to edit a slash command's reply) are kept in memory only,
//! and only while they are valid. Replies the platform gives no way to edit (Slack's
//! ephemeral ones) are recorded too, so a reload's report counts them among those not corrected.

mod ids;
mod plan;
mod record;
mod service;

use std::time::SystemTime;

use secrecy::SecretString;

use crate::facts::FactId;
use crate::lang::Lang;

pub use plan::{plan, Edit, Plan};
pub use service::{apply, start, EditError, Editor, Recorder, Report};

/// The platforms whose replies can be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Discord,
    Slack,
}

/// Where a sent reply is, and how it can be edited.
#[derive(Debug, Clone)]
pub enum Target {
    /// A message the bot posted in a channel or DM: editable for as long as it exists. The
    /// ids as the platform writes them; the record keeps them as numbers where it can.
    Message {
        channel: Box<str>,
        message: Box<str>,
    },
    /// The reply to a slash command or a button: editable only through the interaction's
    /// token, which the platform honours until `expires`.
    Interaction {
        application: Box<str>,
        token: SecretString,
        expires: SystemTime,
    },
    /// An interaction reply whose token expired: the token is forgotten, and the reply is
    /// only counted as one that could not be corrected.
    Expired,
    /// A reply the platform offers no way to edit once sent (on Slack: an ephemeral message,
    /// which `chat.update` refuses, or an answer posted through a command's `response_url`,
    /// which says no message ts): recorded so it is counted as one that could not be corrected.
    Uneditable,
}

impl Target {
    /// Whether the platform would still accept an edit at `now`.
    pub fn editable_at(&self, now: SystemTime) -> bool {
        match self {
            Self::Message { .. } => true,
            Self::Interaction { expires, .. } => now < *expires,
            Self::Expired | Self::Uneditable => false,
        }
    }

    /// Where the reply is, to tell two records of the same reply apart from two replies;
    /// `None` for a reply that cannot be edited (never the same as another).
    fn place(&self) -> Option<Place<'_>> {
        use secrecy::ExposeSecret as _;
        match self {
            Self::Message { channel, message } => Some(Place::Message(channel, message)),
            Self::Interaction { token, .. } => Some(Place::Interaction(token.expose_secret())),
            Self::Expired | Self::Uneditable => None,
        }
    }
}

/// A [`Target`]'s place, as a key.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Place<'a> {
    Message(&'a str, &'a str),
    Interaction(&'a str),
}

/// One reply the bot sent about a fact: everything needed to correct it later, and nothing
/// about who asked.
#[derive(Debug, Clone)]
pub struct Sent {
    pub platform: Platform,
    pub target: Target,
    pub fact: FactId,
    /// The language the reply was in, so its correction is in the same one.
    pub lang: Lang,
    pub sent_at: SystemTime,
}
