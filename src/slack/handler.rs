//! Slack events to the core's conversation, and its answers back as Web API calls. Converts
//! only: what to say comes from [`Conversation`], how it looks from `blocks`.
//!
//! Where answers go, in Slack's idiom: a mention is answered in a thread on the member's
//! message; a DM in the DM; `/ask` through the command's `response_url` (in the channel, or
//! ephemeral with `/ask private …`); a follow-up button in the thread it was clicked in, or
//! privately when the answer was private. Refusals a member did not ask for by command (a
//! cooldown after a mention) are ephemeral, so the channel never sees them.

use serde_json::{json, Value};

use super::api::{ApiError, Identity, WebApi};
use super::events::{Click, Command, Event, Message};
use super::{blocks, ids};
use crate::conversation::{Asked, ButtonId, Conversation, ModeratorCommand, Notice, Place};
use crate::history::Via;
use crate::lang;

pub(crate) const ASK: &str = "/ask";
pub(crate) const FACTS: &str = "/facts";
pub(crate) const FACTS_ADMIN: &str = "/factsadmin";
/// `/ask private …` answers only the member who asked.
const PRIVATE: &str = "private";

/// What the Slack handlers share.
pub(crate) struct SlackBot {
    pub conversation: Conversation,
    pub api: WebApi,
    pub bot_token: String,
    pub me: Identity,
    /// User groups whose members may use `/factsadmin` (besides workspace admins).
    pub moderator_groups: Vec<String>,
}

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
                self.post("chat.postMessage", body).await
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
        let (body, public) = match command.name.as_str() {
            FACTS_ADMIN => (self.moderate(&command).await, false),
            _ if !self.conversation.allows(place) => (blocks::notice(&Notice::NotHere), false),
            ASK => {
                let (private, question) = match command.text.split_once(' ') {
                    Some((first, rest)) if first.eq_ignore_ascii_case(PRIVATE) => (true, rest),
                    _ if command.text.eq_ignore_ascii_case(PRIVATE) => (true, ""),
                    _ => (false, command.text.as_str()),
                };
                let asked = Asked {
                    text: question,
                    via: Via::Slash,
                    user: ids::number(&command.user),
                    place,
                    locale: None,
                };
                match self.conversation.ask(asked) {
                    Ok(answered) => {
                        log_answer(&answered.reply, Via::Slash);
                        (blocks::answer(&answered), !private)
                    }
                    Err(notice) => (blocks::notice(&notice), false),
                }
            }
            FACTS => {
                let (page, topic) = self.conversation.topics(0);
                (blocks::topics(&page, &topic), false)
            }
            other => {
                tracing::warn!(
                    command = other,
                    "unknown command; is the app manifest current?"
                );
                (blocks::notice(&Notice::UnknownCommand), false)
            }
        };
        respond(&self.api, &command.response_url, body, public, false).await
    }

    /// `/factsadmin reload | status | gaps [days] | stats [days]`.
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
        match id {
            ButtonId::FollowUp(fact) => {
                let direct = is_dm(&click.channel);
                let place = place(&click.team, &click.channel, direct);
                let answered = match self.conversation.follow_up(
                    &fact,
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
                    return respond(&self.api, &click.response_url, body, false, false).await;
                }
                body["channel"] = json!(click.channel);
                if let Some(thread) = click.thread_ts.filter(|_| !direct) {
                    body["thread_ts"] = json!(thread);
                }
                self.post("chat.postMessage", body).await
            }
            ButtonId::Helpful {
                question,
                fact,
                helpful,
            } => {
                let notice = self.conversation.feedback(question, fact, helpful);
                respond(
                    &self.api,
                    &click.response_url,
                    blocks::notice(&notice),
                    false,
                    false,
                )
                .await
            }
            ButtonId::Page(page) => {
                let (page, topic) = self.conversation.topics(page);
                respond(
                    &self.api,
                    &click.response_url,
                    blocks::topics(&page, &topic),
                    false,
                    true,
                )
                .await
            }
        }
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
