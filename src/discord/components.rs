//! Button ids, and what a click does.
//!
//! A button's `custom_id` carries what it stands for (`fu:<fact-id>` answers a fact,
//! `fp:<page>` turns a `/facts` page, `hy:<question>:<fact-id>` and `hn:…` say an answer was
//! helpful or not), never an index or a session key, so buttons keep working after a restart
//! or a reload. A fact removed since the button was sent gets a polite "that topic has been
//! removed" with suggestions, not an error. Follow-up and helpful clicks are recorded in the
//! history (without who clicked).

use serenity::all::{ComponentInteraction, Context, CreateInteractionResponse, MessageFlags};

use super::handler::{Bot, HandlerError};
use super::{convert, retry};
use crate::clock;
use crate::facts::FactId;
use crate::history::{Click, Feedback, QuestionId};
use crate::limits;
use crate::reply::Reply;

const FOLLOW_UP: &str = "fu:";
const PAGE: &str = "fp:";
const HELPFUL: &str = "hy:";
const NOT_HELPFUL: &str = "hn:";

/// What a button stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ComponentId {
    /// Answer this fact (it may have been removed since).
    FollowUp(String),
    /// Show this page of `/facts`.
    Page(usize),
    /// "Was this helpful?" answered for the answer to `question` (0: a follow-up's answer).
    Helpful {
        question: i64,
        fact: String,
        helpful: bool,
    },
}

/// The ids of the "Helpful" / "Not helpful" buttons of the answer with `fact` to `question`,
/// or `None` when they would not fit Discord's 100 characters.
pub(crate) fn helpful_ids(question: Option<QuestionId>, fact: &FactId) -> Option<(String, String)> {
    let question = question.map_or(0, |q| q.0);
    let ids = (
        format!("{HELPFUL}{question}:{fact}"),
        format!("{NOT_HELPFUL}{question}:{fact}"),
    );
    (ids.0.len() <= limits::CUSTOM_ID).then_some(ids)
}

/// The `custom_id` of a button answering `fact`, or `None` when it would not fit Discord's
/// 100 characters (the button is then left out rather than sent broken).
pub(crate) fn follow_up_id(fact: &FactId) -> Option<String> {
    let id = format!("{FOLLOW_UP}{fact}");
    (id.len() <= limits::CUSTOM_ID).then_some(id)
}

pub(crate) fn page_id(page: usize) -> String {
    format!("{PAGE}{page}")
}

/// Reads a `custom_id`; anything forged or foreign is `None`.
pub(crate) fn parse(custom_id: &str) -> Option<ComponentId> {
    if let Some(fact) = custom_id.strip_prefix(FOLLOW_UP) {
        return FactId::is_valid(fact).then(|| ComponentId::FollowUp(fact.to_owned()));
    }
    for (prefix, helpful) in [(HELPFUL, true), (NOT_HELPFUL, false)] {
        if let Some(rest) = custom_id.strip_prefix(prefix) {
            let (question, fact) = rest.split_once(':')?;
            let question = question
                .parse()
                .ok()
                .filter(|q: &i64| *q >= 0 && question.bytes().all(|b| b.is_ascii_digit()))?;
            return FactId::is_valid(fact).then(|| ComponentId::Helpful {
                question,
                fact: fact.to_owned(),
                helpful,
            });
        }
    }
    let page = custom_id.strip_prefix(PAGE)?;
    page.parse()
        .ok()
        .filter(|_| page.bytes().all(|b| b.is_ascii_digit()))
        .map(ComponentId::Page)
}

/// Answers a click: a follow-up answers its fact for whoever clicked (privately when the
/// button was on a private message); a page button turns the `/facts` page in place.
pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    click: &ComponentInteraction,
) -> Result<(), HandlerError> {
    let Some(id) = parse(&click.data.custom_id) else {
        tracing::debug!(custom_id = %click.data.custom_id, "ignoring a component that is not ours");
        return Ok(());
    };
    let snapshot = bot.store.snapshot();
    let response = match id {
        ComponentId::FollowUp(fact) => {
            if let Some(notice) = bot.refusal(click.user.id.get(), click.channel_id.get()) {
                CreateInteractionResponse::Message(convert::interaction_notice(&notice))
            } else {
                let reply = match snapshot.base.index_of(&fact) {
                    Some(index) => Reply::for_fact(&snapshot.base, index),
                    None => Reply::gone(&snapshot.base),
                };
                tracing::info!(fact = %fact, found = reply.fact.is_some(), "follow-up clicked");
                if let Some(history) = &bot.history {
                    history.record_click(Click {
                        at: clock::now(),
                        guild: click.guild_id.map(|guild| guild.get()),
                        channel: Some(click.channel_id.get()),
                        fact: fact.clone(),
                        found: reply.fact.is_some(),
                    });
                }
                let private = click
                    .message
                    .flags
                    .is_some_and(|flags| flags.contains(MessageFlags::EPHEMERAL));
                let feedback = bot.feedback(&reply, None);
                CreateInteractionResponse::Message(convert::interaction_message(
                    &reply, None, private, feedback,
                ))
            }
        }
        ComponentId::Helpful {
            question,
            fact,
            helpful,
        } => {
            tracing::info!(fact = %fact, helpful, "feedback");
            if let Some(history) = &bot.history {
                history.record_feedback(Feedback {
                    at: clock::now(),
                    question: (question > 0).then_some(QuestionId(question)),
                    fact,
                    helpful,
                });
            }
            CreateInteractionResponse::Message(convert::interaction_notice(
                "Thanks, noted. It helps the editors improve the facts.",
            ))
        }
        ComponentId::Page(page) => {
            let page = super::topics::TopicsPage::of(&snapshot.base, page);
            CreateInteractionResponse::UpdateMessage(convert::topics_message(
                &page,
                &snapshot.base.topic(),
            ))
        }
    };
    retry::send("component response", || {
        click.create_response(&ctx.http, response.clone())
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_fit() {
        let fact = FactId::new_unchecked("trip-dates");
        let id = follow_up_id(&fact).unwrap();
        assert_eq!(id, "fu:trip-dates");
        assert_eq!(parse(&id), Some(ComponentId::FollowUp("trip-dates".into())));
        assert_eq!(parse(&page_id(3)), Some(ComponentId::Page(3)));
        let (yes, no) = helpful_ids(Some(QuestionId(1_720_000_000_000_001)), &fact).unwrap();
        assert_eq!(yes, "hy:1720000000000001:trip-dates");
        assert_eq!(
            parse(&no),
            Some(ComponentId::Helpful {
                question: 1_720_000_000_000_001,
                fact: "trip-dates".into(),
                helpful: false
            })
        );
        assert!(helpful_ids(None, &FactId::new_unchecked("a".repeat(97))).is_none());
        let longest = FactId::new_unchecked("a".repeat(limits::CUSTOM_ID - FOLLOW_UP.len()));
        assert_eq!(
            follow_up_id(&longest).map(|id| id.len()),
            Some(limits::CUSTOM_ID)
        );
        let too_long = FactId::new_unchecked("a".repeat(limits::CUSTOM_ID));
        assert_eq!(follow_up_id(&too_long), None);
    }

    #[test]
    fn forged_or_foreign_ids_are_refused() {
        for id in [
            "", "fu:", "fu:Trip", "fu:a b", "fu:../x", "fp:", "fp:-1", "fp:+1", "fp:1x", "other:1",
            "more", "hy:", "hy:1", "hy:-1:a", "hy:+1:a", "hn:1:A", "hy:x:a",
        ] {
            assert_eq!(parse(id), None, "{id}");
        }
    }
}
