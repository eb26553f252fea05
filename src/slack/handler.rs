//! Slack events to the core's conversation, and its answers back as Web API calls. Converts
//! only: what to say comes from [`Conversation`], how it looks from `blocks`.
//!
//! Where answers go, in Slack's idiom: a mention is answered in a thread on the member's
//! message; a DM in the DM; `/ask` through the command's `response_url` (in the channel, or
//! ephemeral with `/ask private …`); a follow-up button in the thread it was clicked in, or
//! privately when the answer was private. Refusals a member did not ask for by command (a
//! cooldown after a mention) are ephemeral, so the channel never sees them.
//!
//! A public `/ask` is answered with `chat.postMessage` rather than through the command's
//! `response_url`, so its message ts is known and a reload can correct it; where the bot may
//! not post (a channel it was not invited to, a DM between members) the `response_url` answers
//! in the channel instead, and that answer is counted as one that cannot be corrected.

use serde_json::{json, Value};

use super::api::{ApiError, WebApi};
use super::bot::SlackBot;
use super::events::{Click, Command, Event, Message};
use super::{blocks, corrections, ids};
use crate::conversation::{Asked, ButtonId, ModeratorCommand, Notice, Place, Report};
use crate::history::{QuestionId, Via};
use crate::lang;
use crate::reply::Reply;

pub(crate) const ASK: &str = "/ask";
pub(crate) const FACTS: &str = "/facts";
pub(crate) const FACTS_ADMIN: &str = "/factsadmin";
/// `/ask private …` answers only the member who asked.
const PRIVATE: &str = "private";
/// Slack's answers to a `chat.postMessage` where the bot may not post: a public `/ask` is then
/// answered through its `response_url`.
const CANNOT_POST_HERE: [&str; 2] = ["not_in_channel", "channel_not_found"];

fn place(team: &str, channel: &str, direct: bool) -> Place {
    Place {
        server: (!direct).then(|| ids::number(team)),
        channel: ids::number(channel),
        // Slack's threads are replies inside their channel, answered as the channel.
        parent: None,
    }
}

/// Slack's direct-message channel ids start with `D`.
fn is_dm(channel: &str) -> bool {
    channel.starts_with('D')
}

impl SlackBot {
    pub(crate) async fn handle(&self, event: Event) -> Result<(), ApiError> {
        match event {
            Event::Mention(message) => self.message(message, false).await,
            Event::DirectMessage(message) => self.message(message, true).await,
            Event::Command(command) => self.command(command).await,
            Event::Click(click) => self.click(click).await,
            Event::Ignored(why) => {
                tracing::debug!(why, "not answering");
                Ok(())
            }
        }
    }

    async fn post(&self, method: &str, body: Value) -> Result<(), ApiError> {
        self.api
            .post(method, &self.bot_token, &body)
            .await
            .map(drop)
    }

    /// Posts an answer in a channel, thread or DM, and files it for corrections.
    async fn post_reply(&self, body: Value, reply: &Reply) -> Result<(), ApiError> {
        let posted = self
            .api
            .post("chat.postMessage", &self.bot_token, &body)
            .await?;
        corrections::record_message(self, reply, &posted);
        Ok(())
    }

    async fn message(&self, message: Message, direct: bool) -> Result<(), ApiError> {
        if message.user == self.me.user_id {
            return Ok(());
        }
        let asked = Asked {
            text: &message.text,
            via: if direct {
                Via::DirectMessage
            } else {
                Via::Mention
            },
            user: ids::number(&message.user),
            place: place(&message.team, &message.channel, direct),
            // Slack sends no member locale with events: the question's words decide.
            locale: None,
        };
        let thread = (!direct).then(|| message.thread());
        match self.conversation.ask(asked) {
            Ok(answered) => {
                log_answer(&answered.reply, asked.via);
                let mut body = blocks::answer(&answered);
                body["channel"] = json!(message.channel);
                if let Some(thread) = thread {
                    body["thread_ts"] = json!(thread);
                }
                self.post_reply(body, &answered.reply).await
            }
            Err(notice) if notice.tell_unasked() => {
                let mut body = blocks::notice(&notice);
                body["channel"] = json!(message.channel);
                if direct {
                    return self.post("chat.postMessage", body).await;
                }
                body["user"] = json!(message.user);
                body["thread_ts"] = json!(thread);
                self.post("chat.postEphemeral", body).await
            }
            Err(notice) => {
                tracing::debug!(?notice, "staying quiet");
                Ok(())
            }
        }
    }

    async fn command(&self, command: Command) -> Result<(), ApiError> {
        let direct = is_dm(&command.channel);
        let place = place(&command.team, &command.channel, direct);
        // Everything but a public `/ask` answer is for the member alone.
        let body = match command.name.as_str() {
            FACTS_ADMIN => self.moderate(&command).await,
            _ if !self.conversation.allows(place) => blocks::notice(&Notice::NotHere),
            ASK => return self.ask(&command, place).await,
            FACTS => {
                // Slack sends no locale and `/facts` carries no words: English.
                let (page, topic) = self.conversation.topics(0, lang::Lang::EN);
                blocks::topics(&page, &topic)
            }
            other => {
                tracing::warn!(
                    command = other,
                    "unknown command; is the app manifest current?"
                );
                blocks::notice(&Notice::UnknownCommand)
            }
        };
        respond(&self.api, &command.response_url, body, false, false).await
    }

    /// `/ask [private] <question>`: in the channel, or only to the member.
    async fn ask(&self, command: &Command, place: Place) -> Result<(), ApiError> {
        let (private, question) = split_private(&command.text);
        let asked = Asked {
            text: question,
            via: Via::Slash,
            user: ids::number(&command.user),
            place,
            locale: None,
        };
        let answered = match self.conversation.ask(asked) {
            Ok(answered) => answered,
            Err(notice) => {
                let body = blocks::notice(&notice);
                return respond(&self.api, &command.response_url, body, false, false).await;
            }
        };
        log_answer(&answered.reply, Via::Slash);
        let body = blocks::answer(&answered);
        if !private {
            let mut post = body.clone();
            post["channel"] = json!(command.channel);
            match self.post_reply(post, &answered.reply).await {
                Err(error)
                    if error
                        .code()
                        .is_some_and(|code| CANNOT_POST_HERE.contains(&code)) =>
                {
                    tracing::info!(
                        "cannot post where /ask was used ({error}); answering through its response_url, which cannot be corrected later"
                    );
                }
                posted => return posted,
            }
        }
        respond(&self.api, &command.response_url, body, !private, false).await?;
        corrections::record_uneditable(self, &answered.reply);
        Ok(())
    }

    /// `/factsadmin reload | status | gaps [days] | stats [days] | suggestions [days]`.
    async fn moderate(&self, command: &Command) -> Value {
        if let Err(notice) = self.check_moderator(&command.user).await {
            tracing::info!(?notice, "moderators' command refused");
            return blocks::notice(&notice);
        }
        let mut words = command.text.split_whitespace();
        let name = words.next().unwrap_or("status");
        let days = words.next().and_then(|days| days.parse().ok());
        let Some(subcommand) = ModeratorCommand::parse(name, days) else {
            return blocks::notice(&Notice::UnknownSubcommand);
        };
        tracing::info!(subcommand = subcommand.name(), "moderators' command");
        match self.conversation.moderate(subcommand).await {
            Ok(report) => blocks::report(&report),
            Err(notice) => blocks::notice(&notice),
        }
    }

    /// A moderator is in one of the configured user groups, or a workspace admin or owner.
    async fn check_moderator(&self, user: &str) -> Result<(), Notice> {
        for group in &self.moderator_groups {
            match self.api.group_members(&self.bot_token, group).await {
                Ok(members) if members.iter().any(|member| member == user) => return Ok(()),
                Ok(_) => {}
                Err(error) => tracing::warn!("cannot list the moderators' user group: {error}"),
            }
        }
        match self.api.is_admin(&self.bot_token, user).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(Notice::NotAModerator),
            Err(error) => {
                tracing::warn!("cannot check whether a member is a workspace admin: {error}");
                Err(Notice::NotAModerator)
            }
        }
    }

    async fn click(&self, click: Click) -> Result<(), ApiError> {
        let Some(id) = ButtonId::parse(&click.action_id) else {
            tracing::debug!(action_id = %click.action_id, "ignoring a button that is not ours");
            return Ok(());
        };
        let (fact, resolves) = match id {
            ButtonId::FollowUp(fact) => (fact, None),
            ButtonId::Resolve { question, fact } => (fact, Some(QuestionId(question))),
            ButtonId::Helpful {
                question,
                fact,
                helpful,
            } => {
                let notice = self.conversation.feedback(question, fact, helpful);
                let body = blocks::notice(&notice);
                return respond(&self.api, &click.response_url, body, false, false).await;
            }
            ButtonId::Page(page) => {
                let lang = lang::detect(&click.message_text, None);
                let (page, topic) = self.conversation.topics(page, lang);
                let body = blocks::topics(&page, &topic);
                return respond(&self.api, &click.response_url, body, false, true).await;
            }
            ButtonId::SuggestionAdd(id) => return self.suggestion(&click, &id, true).await,
            ButtonId::SuggestionDismiss(id) => return self.suggestion(&click, &id, false).await,
        };
        self.follow_up(click, &fact, resolves).await
    }

    /// A fact's button: its answer in the thread it was clicked in, or privately when the
    /// reply was private; recorded with the question it resolves, when it has one.
    async fn follow_up(
        &self,
        click: Click,
        fact: &str,
        resolves: Option<QuestionId>,
    ) -> Result<(), ApiError> {
        let direct = is_dm(&click.channel);
        let place = place(&click.team, &click.channel, direct);
        let answered = match self.conversation.follow_up(
            fact,
            resolves,
            ids::number(&click.user),
            place,
            lang::detect(&click.message_text, None),
        ) {
            Ok(answered) => answered,
            Err(notice) => {
                let body = blocks::notice(&notice);
                return respond(&self.api, &click.response_url, body, false, false).await;
            }
        };
        let mut body = blocks::answer(&answered);
        if click.ephemeral {
            respond(&self.api, &click.response_url, body, false, false).await?;
            corrections::record_uneditable(self, &answered.reply);
            return Ok(());
        }
        body["channel"] = json!(click.channel);
        if let Some(thread) = click.thread_ts.filter(|_| !direct) {
            body["thread_ts"] = json!(thread);
        }
        self.post_reply(body, &answered.reply).await
    }

    /// A suggestion's "Add" or "Dismiss": moderators only (checked like `/factsadmin`); the
    /// result privately, and who did what in the log channel.
    async fn suggestion(&self, click: &Click, id: &str, add: bool) -> Result<(), ApiError> {
        if let Err(notice) = self.check_moderator(&click.user).await {
            tracing::info!(?notice, "suggestion button refused");
            let body = blocks::notice(&notice);
            return respond(&self.api, &click.response_url, body, false, false).await;
        }
        let decision = self
            .conversation
            .decide_suggestion(id, add, &click.user)
            .await;
        if let (Some(log), Some(channel)) = (&decision.log, &self.log_channel) {
            self.post_log(channel, log).await;
        }
        let body = blocks::report(&decision.reply);
        respond(&self.api, &click.response_url, body, false, false).await
    }

    /// Posts `report` to the log channel; a failure is logged, never shown.
    pub(crate) async fn post_log(&self, channel: &str, report: &Report) {
        let mut body = blocks::report(report);
        body["channel"] = json!(channel);
        if let Err(error) = self.post("chat.postMessage", body).await {
            tracing::warn!("cannot post to the Slack log channel: {error}");
        }
    }
}

/// `/ask private …`'s text: whether the answer is private, and the question.
fn split_private(text: &str) -> (bool, &str) {
    match text.split_once(' ') {
        Some((first, rest)) if first.eq_ignore_ascii_case(PRIVATE) => (true, rest),
        _ if text.eq_ignore_ascii_case(PRIVATE) => (true, ""),
        _ => (false, text),
    }
}

/// Answers through a `response_url`: in the channel or only to the member, as a new message
/// or in place of the one the button was on.
async fn respond(
    api: &WebApi,
    response_url: &str,
    mut body: Value,
    public: bool,
    replace: bool,
) -> Result<(), ApiError> {
    body["response_type"] = json!(if public { "in_channel" } else { "ephemeral" });
    body["replace_original"] = json!(replace);
    api.respond(response_url, &body).await
}

fn log_answer(reply: &crate::reply::Reply, via: Via) {
    tracing::info!(
        kind = ?reply.kind,
        fact = reply.fact.as_ref().map(|f| f.as_str()),
        via = via.as_str(),
        "answered on Slack"
    );
}
