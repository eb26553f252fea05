//! The conversation a chat platform holds with its members, whatever the platform.
//!
//! A question arrives with where it came from ([`Asked`]); the conversation applies the channel
//! allow-list and the cooldowns, takes one snapshot of the facts, asks the matcher, records the
//! question and returns the platform-free [`Reply`] ([`Answered`]), or says why not with a typed
//! [`Notice`]. Follow-up and topic buttons, "was this helpful" clicks, `/facts` pages, typing
//! suggestions and the moderators' reports are here too. Adapters (`discord`, `slack`) only
//! turn their events into these calls and the results into their messages; nothing here names
//! a platform.
//!
//! Places and members are `u64` ids: Discord's snowflakes as they are; other platforms map
//! their ids to numbers once, at their edge (see `slack::ids`).

mod cooldown;
mod ids;
mod lifecycle;
mod moderation;
mod notice;
mod suggest;
mod topics;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use ids::ButtonId;
pub use lifecycle::{catch, Failure, InFlight, Lifecycle};
pub use moderation::{
    Decision, ModeratorCommand, ReloadLog, Report, ReportAction, Tone, DEFAULT_DAYS, MAX_DAYS,
};
pub use notice::Notice;
pub use topics::{TopicsPage, PER_PAGE};

use crate::clock;
use crate::config::CorrectionsConfig;
use crate::history::{Click, Feedback, History, Question, QuestionId, Via};
use crate::lang::{self, Lang};
use crate::reload::Reloader;
use crate::reply::{Reply, ReplyKind};
use crate::store::{FactStore, Snapshot};
use cooldown::Limiter;

/// The core services a platform works with: the facts (through their reloader), when
/// questions are recorded the history, and how earlier replies are corrected. Several
/// platforms in one process share them.
#[derive(Clone)]
pub struct Services {
    pub reloader: Arc<Reloader>,
    pub history: Option<Arc<History>>,
    pub corrections: CorrectionsConfig,
}

/// Just the facts: no recording, reloads only by command.
impl From<Arc<FactStore>> for Services {
    fn from(store: Arc<FactStore>) -> Self {
        Self {
            reloader: Arc::new(Reloader::new(store)),
            history: None,
            corrections: CorrectionsConfig::default(),
        }
    }
}

/// How a platform's conversation behaves, from that platform's config section.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Time a member waits between two questions (zero: none).
    pub user_cooldown: Duration,
    /// At most this many answers per channel per `channel_window` (0: no limit).
    pub channel_max_answers: u32,
    pub channel_window: Duration,
    /// Whether answers carry "Was this helpful?" buttons.
    pub helpful_buttons: bool,
    /// Server (guild, workspace) → the only channels answered in; a server not listed: all
    /// (or `allowed_anywhere`).
    pub allowed_channels: HashMap<u64, HashSet<u64>>,
    /// The only channels answered in on a server not in `allowed_channels` (Slack lists
    /// channels alone: its channel ids are unique); `None`: every channel.
    pub allowed_anywhere: Option<HashSet<u64>>,
}

impl Settings {
    /// Seconds from a config file as a duration; a negative or absurd value means none.
    pub fn seconds(secs: f64) -> Duration {
        Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(Duration::ZERO)
    }
}

/// Where a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The server (Discord guild, Slack workspace); `None` in a direct message.
    pub server: Option<u64>,
    pub channel: u64,
    /// The channel `channel` is a thread of, if it is one: the allow-list judges a thread by
    /// its parent.
    pub parent: Option<u64>,
}

/// A question and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// What the member wrote, markup already removed; empty asks for starting points.
    pub text: &'a str,
    pub via: Via,
    pub user: u64,
    pub place: Place,
    /// The member's language setting on the platform (Discord's `locale`, "es-ES"), when it
    /// sends one: it tips a question whose words say nothing towards that language.
    pub locale: Option<&'a str>,
}

/// An answer ready to lay out.
#[derive(Debug, Clone)]
pub struct Answered {
    pub reply: Reply,
    /// The "Helpful" and "Not helpful" buttons, when the settings ask for them and the reply
    /// answers a fact.
    pub helpful: Option<[ButtonId; 2]>,
    /// The recorded question a "did you mean" or "I don't know" reply is for: its fact buttons
    /// carry it ([`ButtonId::fact_within`]), so a click says what the question meant.
    pub resolves: Option<QuestionId>,
}

impl Answered {
    /// The id of the reply's button offering `fact`, within `max` bytes (see
    /// [`ButtonId::fact_within`]).
    pub fn fact_button(&self, fact: &crate::facts::FactId, max: usize) -> Option<String> {
        ButtonId::fact_within(fact, self.resolves, max)
    }
}

/// One platform's conversation: its settings and limiter, over the shared services.
pub struct Conversation {
    store: Arc<FactStore>,
    reloader: Arc<Reloader>,
    /// Where questions are recorded; `None` when recording is off.
    history: Option<Arc<History>>,
    helpful_buttons: bool,
    allowed_channels: HashMap<u64, HashSet<u64>>,
    allowed_anywhere: Option<HashSet<u64>>,
    limiter: Limiter,
    suggestions: suggest::Cache,
    /// Counts the platform's handlers in flight, for a graceful shutdown.
    pub lifecycle: Lifecycle,
}

impl Conversation {
    pub fn new(settings: Settings, services: Services) -> Self {
        Self {
            store: Arc::clone(services.reloader.store()),
            reloader: services.reloader,
            history: services.history,
            helpful_buttons: settings.helpful_buttons,
            allowed_channels: settings.allowed_channels,
            allowed_anywhere: settings.allowed_anywhere,
            limiter: Limiter::new(
                settings.user_cooldown,
                settings.channel_max_answers,
                settings.channel_window,
            ),
            suggestions: suggest::Cache::default(),
            lifecycle: Lifecycle::default(),
        }
    }

    pub fn reloader(&self) -> &Arc<Reloader> {
        &self.reloader
    }

    /// Whether the bot speaks in `place` (a direct message: always; a thread: where its
    /// parent is allowed).
    pub fn allows(&self, place: Place) -> bool {
        let Some(server) = place.server else {
            return true;
        };
        match self
            .allowed_channels
            .get(&server)
            .or(self.allowed_anywhere.as_ref())
        {
            Some(channels) => {
                channels.contains(&place.channel)
                    || place
                        .parent
                        .is_some_and(|parent| channels.contains(&parent))
            }
            None => true,
        }
    }

    /// Counts a question (or a follow-up click) from `user` in `channel` against the
    /// cooldowns; the notice when it is refused.
    pub fn admit(&self, user: u64, channel: u64) -> Result<(), Notice> {
        match self.limiter.check(user, channel, Instant::now()).notice() {
            Some(notice) => Err(notice),
            None => Ok(()),
        }
    }

    /// The one way a question is answered: allow-list, cooldowns, one snapshot, the matcher,
    /// the record, the reply. An empty question gets starting points and is not recorded.
    /// The reply is in the language the question is asked in (see [`lang::detect`]).
    pub fn ask(&self, asked: Asked<'_>) -> Result<Answered, Notice> {
        if !self.allows(asked.place) {
            return Err(Notice::NotHere);
        }
        let text = asked.text.trim();
        let lang = lang::detect(text, asked.locale);
        self.admit(asked.user, asked.place.channel)
            .map_err(|notice| notice.in_lang(lang))?;
        let snapshot = self.store.snapshot();
        if text.is_empty() {
            return Ok(self.answered(Reply::starting_in(&snapshot.base, lang), None));
        }
        let outcome = snapshot.matcher.ask(text);
        let recorded = self.history.as_ref().map(|history| {
            history.record(Question::new(
                &snapshot,
                text,
                &outcome,
                asked.via,
                asked.place.server,
                Some(asked.place.channel),
            ))
        });
        let mut answered = self.answered(
            Reply::for_outcome_in(&snapshot.base, &outcome, lang),
            recorded,
        );
        if matches!(answered.reply.kind, ReplyKind::Choice | ReplyKind::Unknown) {
            answered.resolves = recorded;
        }
        Ok(answered)
    }

    /// A follow-up or topic button: answers `fact` in `lang` (the language of the reply the
    /// button was on) for whoever clicked (cooldowns apply), or says politely that it was
    /// removed since the button was made. Recorded without who clicked; `resolves` is the
    /// recorded question whose "did you mean" or "I don't know" reply the button was on.
    pub fn follow_up(
        &self,
        fact: &str,
        resolves: Option<QuestionId>,
        user: u64,
        place: Place,
        lang: Lang,
    ) -> Result<Answered, Notice> {
        self.admit(user, place.channel)
            .map_err(|notice| notice.in_lang(lang))?;
        let snapshot = self.store.snapshot();
        let reply = match snapshot.base.index_of(fact) {
            Some(index) => Reply::for_fact_in(&snapshot.base, index, lang),
            None => Reply::gone_in(&snapshot.base, lang),
        };
        tracing::info!(
            fact = %fact,
            found = reply.fact.is_some(),
            resolves = resolves.map(|q| q.0),
            "follow-up clicked"
        );
        if let Some(history) = &self.history {
            history.record_click(Click {
                question: resolves,
                at: clock::now(),
                guild: place.server,
                channel: Some(place.channel),
                fact: fact.to_owned(),
                found: reply.fact.is_some(),
            });
        }
        Ok(self.answered(reply, None))
    }

    /// "Was this helpful?" answered: recorded with the answer it is about.
    pub fn feedback(&self, question: i64, fact: String, helpful: bool) -> Notice {
        tracing::info!(fact = %fact, helpful, "feedback");
        if let Some(history) = &self.history {
            history.record_feedback(Feedback {
                at: clock::now(),
                question: (question > 0).then_some(QuestionId(question)),
                fact,
                helpful,
            });
        }
        Notice::Thanks
    }

    /// Page `page` of the topics, and the story's topic line.
    pub fn topics(&self, page: usize, lang: Lang) -> (TopicsPage, String) {
        let snapshot = self.store.snapshot();
        (
            TopicsPage::of(&snapshot.base, page, lang),
            snapshot.base.topic(),
        )
    }

    /// Up to `limit` fact questions matching the partial input `typed`, best first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<String> {
        let cached = self.suggestions.get(&self.snapshot());
        cached
            .1
            .suggest(typed, limit)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.store.snapshot()
    }

    fn answered(&self, reply: Reply, question: Option<QuestionId>) -> Answered {
        let helpful = match &reply.fact {
            Some(fact) if self.helpful_buttons && reply.kind == ReplyKind::Answer => Some([
                ButtonId::helpful(question, fact, true),
                ButtonId::helpful(question, fact, false),
            ]),
            _ => None,
        };
        Answered {
            reply,
            helpful,
            resolves: None,
        }
    }
}
