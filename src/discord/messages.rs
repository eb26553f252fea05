//! Questions asked by mentioning the bot in a channel, or in a direct message.
//!
//! The bot reads only messages Discord gives it content for without the privileged
//! MESSAGE_CONTENT intent: those that mention it, and DMs. It ignores bots (itself included)
//! and webhooks, stays quiet in channels outside a guild's allow-list, and answers with a reply
//! to the member's message that pings nobody.

use serenity::all::{Context, CreateMessage, Message, MessageReference, Nonce};

use super::bot::{Bot, HandlerError};
use super::{convert, corrections, retry};
use crate::conversation::{Asked, Place};
use crate::history::Via;

/// What the gate needs to know about a message, without Discord types.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Incoming<'a> {
    pub from_bot: bool,
    pub from_webhook: bool,
    pub guild: Option<u64>,
    pub mentions_bot: bool,
    pub content: &'a str,
}

/// The question in a message the bot should answer, or `None` when it should stay silent.
/// An empty question (a bare mention) is answered with starting points.
pub(crate) fn question_in(message: Incoming<'_>) -> Option<String> {
    if message.from_bot
        || message.from_webhook
        || (message.guild.is_some() && !message.mentions_bot)
    {
        return None;
    }
    Some(strip_mentions(message.content))
}

/// Removes the bot's mention and any other `<@…>`, `<@&…>`, `<#…>` markup, which means nothing
/// to the matcher, and tidies the spaces left behind.
fn strip_mentions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let markup = tail.find('>').map(|end| &tail[1..end]).filter(|inner| {
            let id = inner.trim_start_matches(['@', '!', '&', '#']);
            id.len() < inner.len() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
        });
        match markup {
            Some(inner) => {
                out.push(' ');
                rest = &tail[inner.len() + 2..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A reference that makes the bot's message a reply to `message`, or a plain message when
/// the member deleted theirs meanwhile (Discord would otherwise refuse it with a 400).
fn reply_to(message: &Message) -> MessageReference {
    let mut reference = MessageReference::from(message);
    reference.fail_if_not_exists = Some(false);
    reference
}

/// Where `message` was sent; in a guild channel the allow-list does not name, whether that
/// channel is a thread of one it does.
async fn place(ctx: &Context, bot: &Bot, message: &Message) -> Place {
    let mut place = Place {
        server: message.guild_id.map(|guild| guild.get()),
        channel: message.channel_id.get(),
        parent: None,
    };
    if place.server.is_some() && !bot.conversation.allows(place) {
        place.parent = bot.threads.of(&ctx.http, message.channel_id).await;
    }
    place
}

/// `body` as the one reply to `message`: a reply to it, carrying its id as the nonce Discord
/// enforces, so however often it is sent (a retry after a 5xx or a timeout, or an apology
/// after a failure Discord may have carried out anyway) at most one reply is created, and an
/// apology after an answer that did go out returns that answer instead.
pub(crate) fn the_reply_to(message: &Message, body: CreateMessage) -> CreateMessage {
    body.reference_message(reply_to(message))
        .nonce(Nonce::String(message.id.to_string()))
        .enforce_nonce(true)
}

pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    message: &Message,
) -> Result<(), HandlerError> {
    let bot_id = bot.user_id;
    let incoming = Incoming {
        from_bot: message.author.bot || message.author.id.get() == bot_id,
        from_webhook: message.webhook_id.is_some(),
        guild: message.guild_id.map(|guild| guild.get()),
        mentions_bot: message.mentions.iter().any(|user| user.id.get() == bot_id),
        content: &message.content,
    };
    let Some(question) = question_in(incoming) else {
        return Ok(());
    };
    let asked = Asked {
        text: &question,
        via: if incoming.guild.is_some() {
            Via::Mention
        } else {
            Via::DirectMessage
        },
        user: message.author.id.get(),
        place: place(ctx, bot, message).await,
        locale: None,
    };
    let (body, answered) = match bot.answer(asked) {
        Ok(answered) => (convert::message(&answered, bot.reply_ping), Some(answered)),
        Err(notice) if notice.tell_unasked() => {
            (convert::text_message(&notice, bot.reply_ping), None)
        }
        Err(notice) => {
            tracing::debug!(?notice, channel = asked.place.channel, "staying quiet");
            return Ok(());
        }
    };
    let body = the_reply_to(message, body);
    let sent = retry::deliver("reply", || {
        message.channel_id.send_message(&ctx.http, body.clone())
    })
    .await?;
    if let Some(answered) = answered {
        corrections::record_message(bot, &answered.reply, &sent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incoming(content: &str) -> Incoming<'_> {
        Incoming {
            from_bot: false,
            from_webhook: false,
            guild: Some(1),
            mentions_bot: true,
            content,
        }
    }

    #[test]
    fn mentions_and_markup_are_removed_from_the_question() {
        let ask = |content| question_in(incoming(content)).unwrap();
        assert_eq!(
            ask("<@1000> when did Boluarte go to China?"),
            "when did Boluarte go to China?"
        );
        assert_eq!(
            ask("hey <@!1000>, ask <@77> and <@&5> in <#9>"),
            "hey , ask and in"
        );
        assert_eq!(ask("<@1000>"), "");
        assert_eq!(
            ask("is 3 < 4 and <b> bold? <@>"),
            "is 3 < 4 and <b> bold? <@>"
        );
        assert_eq!(ask("@everyone <@1000> who?"), "@everyone who?");
    }

    #[test]
    fn the_bot_answers_mentions_and_dms_only_from_people() {
        assert!(question_in(incoming("<@1000> hi")).is_some());
        assert!(question_in(Incoming {
            mentions_bot: false,
            ..incoming("hi")
        })
        .is_none());
        assert!(question_in(Incoming {
            mentions_bot: false,
            guild: None,
            ..incoming("hi")
        })
        .is_some());
        assert!(question_in(Incoming {
            from_bot: true,
            ..incoming("<@1000> hi")
        })
        .is_none());
        assert!(question_in(Incoming {
            from_webhook: true,
            guild: None,
            ..incoming("hi")
        })
        .is_none());
    }
}
