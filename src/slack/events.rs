//! Socket Mode frames as typed values: what arrived, from whom, where, and how to answer it.
//!
//! Parsing is pure, so every payload shape and every "stay quiet" rule is tested without a
//! socket. Shapes follow Slack's documentation of Socket Mode envelopes (`events_api`,
//! `slash_commands`, `interactive`) and of the `app_mention`, `message.im` and
//! `block_actions` payloads. Unknown or malformed frames are `Frame::Other`, never a panic.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Frame {
    Hello,
    /// Slack will close this connection (`refresh_requested`, `warning`, `link_disabled`).
    Disconnect {
        reason: String,
    },
    /// Boxed: an envelope is large and most frames are not envelopes.
    Envelope(Box<Envelope>),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Envelope {
    /// Acked at once, before any work.
    pub id: String,
    /// What identifies the event across Slack's re-sends: the `event_id` of an Events API
    /// event (a re-send has a new envelope id), else the envelope id.
    pub key: String,
    pub retry_attempt: u64,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// `@factbot …` in a channel.
    Mention(Message),
    /// A direct message to the bot.
    DirectMessage(Message),
    /// `/ask`, `/facts`, `/factsadmin`.
    Command(Command),
    /// A button in one of the bot's messages.
    Click(Click),
    /// Nothing to answer: a bot's message, an edit, an event not subscribed to.
    Ignored(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    pub team: String,
    pub channel: String,
    pub user: String,
    /// Markup removed and Slack's escapes undone: what the member wrote.
    pub text: String,
    pub ts: String,
    pub thread_ts: Option<String>,
}

impl Message {
    /// The thread the answer goes in: the member's thread, or one started on their message.
    pub fn thread(&self) -> &str {
        self.thread_ts.as_deref().unwrap_or(&self.ts)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    pub name: String,
    pub text: String,
    pub team: String,
    pub channel: String,
    pub user: String,
    pub response_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Click {
    pub action_id: String,
    pub team: String,
    pub channel: String,
    pub user: String,
    pub response_url: String,
    /// The button was on a message only the clicker sees.
    pub ephemeral: bool,
    /// The thread of the message the button was on (its own ts when it was not in a thread).
    pub thread_ts: Option<String>,
    /// The text of the message the button was on (Slack leaves it out for an ephemeral one):
    /// the follow-up is answered in that message's language.
    pub message_text: String,
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

pub(crate) fn parse(frame: &str) -> Frame {
    let Ok(value) = serde_json::from_str::<Value>(frame) else {
        return Frame::Other;
    };
    match value["type"].as_str() {
        Some("hello") => Frame::Hello,
        Some("disconnect") => Frame::Disconnect {
            reason: text(&value["reason"]),
        },
        Some(kind @ ("events_api" | "slash_commands" | "interactive")) => {
            let Some(id) = value["envelope_id"].as_str().filter(|id| !id.is_empty()) else {
                return Frame::Other;
            };
            let payload = &value["payload"];
            let event = match kind {
                "events_api" => event(payload),
                "slash_commands" => command(payload),
                _ => click(payload),
            };
            let key = payload["event_id"]
                .as_str()
                .filter(|key| !key.is_empty())
                .unwrap_or(id);
            Frame::Envelope(Box::new(Envelope {
                id: id.to_owned(),
                key: key.to_owned(),
                retry_attempt: value["retry_attempt"].as_u64().unwrap_or(0),
                event,
            }))
        }
        _ => Frame::Other,
    }
}

fn event(payload: &Value) -> Event {
    let event = &payload["event"];
    if event["bot_id"].is_string() || event["bot_profile"].is_object() {
        return Event::Ignored("a bot's message");
    }
    if event["subtype"].is_string() || event["edited"].is_object() {
        return Event::Ignored("an edit or a message of another kind");
    }
    let user = text(&event["user"]);
    if user.is_empty() {
        return Event::Ignored("a message without a member");
    }
    let message = Message {
        team: payload["team_id"]
            .as_str()
            .or(event["team"].as_str())
            .unwrap_or_default()
            .to_owned(),
        channel: text(&event["channel"]),
        user,
        text: clean(event["text"].as_str().unwrap_or_default()),
        ts: text(&event["ts"]),
        thread_ts: event["thread_ts"].as_str().map(str::to_owned),
    };
    match (event["type"].as_str(), event["channel_type"].as_str()) {
        (Some("app_mention"), _) => Event::Mention(message),
        (Some("message"), Some("im")) => Event::DirectMessage(message),
        _ => Event::Ignored("an event factbot does not answer"),
    }
}

fn command(payload: &Value) -> Event {
    Event::Command(Command {
        name: text(&payload["command"]),
        text: clean(payload["text"].as_str().unwrap_or_default()),
        team: text(&payload["team_id"]),
        channel: text(&payload["channel_id"]),
        user: text(&payload["user_id"]),
        response_url: text(&payload["response_url"]),
    })
}

fn click(payload: &Value) -> Event {
    if payload["type"].as_str() != Some("block_actions") {
        return Event::Ignored("an interaction that is not a button");
    }
    let Some(action_id) = payload["actions"][0]["action_id"].as_str() else {
        return Event::Ignored("a click without an action");
    };
    let container = &payload["container"];
    let message = &payload["message"];
    let thread_ts = message["thread_ts"]
        .as_str()
        .or(message["ts"].as_str())
        .or(container["message_ts"].as_str())
        .map(str::to_owned);
    Event::Click(Click {
        action_id: action_id.to_owned(),
        team: payload["team"]["id"]
            .as_str()
            .or(payload["user"]["team_id"].as_str())
            .unwrap_or_default()
            .to_owned(),
        channel: payload["channel"]["id"]
            .as_str()
            .or(container["channel_id"].as_str())
            .unwrap_or_default()
            .to_owned(),
        user: text(&payload["user"]["id"]),
        response_url: text(&payload["response_url"]),
        ephemeral: container["is_ephemeral"].as_bool().unwrap_or(false),
        thread_ts,
        message_text: clean(message["text"].as_str().unwrap_or_default()),
    })
}

/// What a member wrote, from Slack's markup: mentions (`<@U…>`), specials (`<!here>`) and
/// channel links (`<#C…|name>`) removed, links read as their label, `&amp;` `&lt;` `&gt;`
/// undone, spaces tidied.
pub(crate) fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 1..];
        let Some(end) = tail.find('>') else {
            out.push('<');
            rest = tail;
            continue;
        };
        let inner = &tail[..end];
        if !inner.starts_with(['@', '!', '#']) {
            out.push_str(inner.rsplit('|').next().unwrap_or(inner));
        }
        out.push(' ');
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    let unescaped = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn envelope(kind: &str, payload: Value, retry: u64) -> String {
        json!({"envelope_id": "e1", "type": kind, "payload": payload, "retry_attempt": retry,
               "accepts_response_payload": kind == "slash_commands"})
        .to_string()
    }

    fn mention(extra: Value) -> String {
        let mut event = json!({"type": "app_mention", "user": "U1", "text": "<@UBOT> when did the port open?",
                               "ts": "1.000100", "channel": "C1"});
        event
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        envelope(
            "events_api",
            json!({"team_id": "T1", "event_id": "Ev1", "type": "event_callback", "event": event}),
            0,
        )
    }

    #[test]
    fn a_mention_is_a_question_answered_in_its_thread() {
        let Frame::Envelope(envelope) = parse(&mention(json!({}))) else {
            panic!("an envelope")
        };
        assert_eq!((envelope.id.as_str(), envelope.key.as_str()), ("e1", "Ev1"));
        let Event::Mention(message) = envelope.event else {
            panic!("a mention")
        };
        assert_eq!(message.text, "when did the port open?");
        assert_eq!(message.thread(), "1.000100");
        let Frame::Envelope(threaded) = parse(&mention(json!({"thread_ts": "0.5"}))) else {
            panic!()
        };
        assert!(matches!(threaded.event, Event::Mention(m) if m.thread() == "0.5"));
    }

    #[test]
    fn bots_edits_and_other_events_are_ignored() {
        for extra in [
            json!({"bot_id": "B1"}),
            json!({"subtype": "message_changed"}),
            json!({"edited": {"user": "U1", "ts": "2"}}),
            json!({"type": "reaction_added"}),
            json!({"user": null}),
        ] {
            let Frame::Envelope(envelope) = parse(&mention(extra.clone())) else {
                panic!()
            };
            assert!(matches!(envelope.event, Event::Ignored(_)), "{extra}");
        }
        assert_eq!(parse("not json"), Frame::Other);
        assert_eq!(parse(r#"{"type": "events_api"}"#), Frame::Other);
        assert_eq!(
            parse(r#"{"type": "disconnect", "reason": "refresh_requested"}"#),
            Frame::Disconnect {
                reason: "refresh_requested".into()
            }
        );
    }

    #[test]
    fn commands_and_clicks_carry_where_to_answer() {
        let Frame::Envelope(command) = parse(&envelope(
            "slash_commands",
            json!({"command": "/ask", "text": "private  who owns it?", "team_id": "T1",
                   "channel_id": "C1", "user_id": "U1", "response_url": "http://x/r/1"}),
            0,
        )) else {
            panic!()
        };
        assert_eq!(command.key, "e1", "no event id: the envelope is the key");
        assert!(matches!(&command.event, Event::Command(c) if c.text == "private who owns it?"));
        let Frame::Envelope(click) = parse(&envelope(
            "interactive",
            json!({"type": "block_actions", "user": {"id": "U2", "team_id": "T1"},
                   "channel": {"id": "C1"}, "response_url": "http://x/r/2",
                   "container": {"type": "message", "message_ts": "3.0", "is_ephemeral": true},
                   "actions": [{"action_id": "fu:port-owner", "type": "button"}]}),
            0,
        )) else {
            panic!()
        };
        let Event::Click(click) = click.event else {
            panic!()
        };
        assert!(click.ephemeral);
        assert_eq!(click.thread_ts.as_deref(), Some("3.0"));
        assert_eq!(click.action_id, "fu:port-owner");
    }

    #[test]
    fn markup_is_removed_and_escapes_undone() {
        assert_eq!(clean("<@U1> hi <!channel> in <#C1|news>"), "hi in");
        assert_eq!(
            clean("is 3 &lt; 4 &amp; <https://x.org|this>?"),
            "is 3 < 4 & this ?"
        );
        assert_eq!(clean("a < b"), "a < b");
    }
}
