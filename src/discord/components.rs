//! Button clicks: a follow-up answers its fact for whoever clicked (privately when the button
//! was on a private message), recorded with the question it resolves when it was on a "did you
//! mean" or "I don't know" reply; a page button turns the `/facts` page in place; "helpful" is
//! recorded; a suggestion's "Add" or "Dismiss" goes to the moderators' handler. What each
//! button stands for is read from its id by the core's [`ButtonId`].

use serenity::all::{
    ComponentInteraction, Context, CreateInteractionResponse, CreateInteractionResponseMessage,
    MessageFlags,
};

use super::bot::{Bot, HandlerError};
use super::{convert, corrections, moderation, retry, threads};
use crate::conversation::{ButtonId, Place};
use crate::history::QuestionId;
use crate::lang::{self, Lang};
use crate::reply::Reply;

pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    click: &ComponentInteraction,
) -> Result<(), HandlerError> {
    let Some(id) = ButtonId::parse(&click.data.custom_id) else {
        tracing::debug!(custom_id = %click.data.custom_id, "ignoring a component that is not ours");
        return Ok(());
    };
    let conversation = &bot.conversation;
    let mut answered_with = None;
    let response = match id {
        ButtonId::FollowUp(fact) => {
            let (message, reply) = follow_up(bot, click, &fact, None);
            answered_with = reply;
            CreateInteractionResponse::Message(message)
        }
        ButtonId::Resolve { question, fact } => {
            let (message, reply) = follow_up(bot, click, &fact, Some(QuestionId(question)));
            answered_with = reply;
            CreateInteractionResponse::Message(message)
        }
        ButtonId::Helpful {
            question,
            fact,
            helpful,
        } => CreateInteractionResponse::Message(convert::interaction_notice(
            conversation.feedback(question, fact, helpful),
        )),
        ButtonId::Page(page) => {
            let (page, topic) = conversation.topics(page, clicked_in(click));
            CreateInteractionResponse::UpdateMessage(convert::topics_message(&page, &topic))
        }
        ButtonId::SuggestionAdd(id) => {
            return moderation::suggestion_clicked(ctx, bot, click, &id, true).await;
        }
        ButtonId::SuggestionDismiss(id) => {
            return moderation::suggestion_clicked(ctx, bot, click, &id, false).await;
        }
    };
    retry::send("component response", || {
        click.create_response(&ctx.http, response.clone())
    })
    .await?;
    if let Some(reply) = answered_with {
        let application = click.application_id.get();
        corrections::record_interaction(bot, &reply, application, &click.token);
    }
    Ok(())
}

/// A fact's button: its answer for whoever clicked (privately when the button was on a private
/// message), and the reply to record for corrections.
fn follow_up(
    bot: &Bot,
    click: &ComponentInteraction,
    fact: &str,
    resolves: Option<QuestionId>,
) -> (CreateInteractionResponseMessage, Option<Reply>) {
    let place = Place {
        server: click.guild_id.map(|guild| guild.get()),
        channel: click.channel_id.get(),
        parent: threads::parent_in(click.channel.as_ref()),
    };
    let lang = clicked_in(click);
    match bot
        .conversation
        .follow_up(fact, resolves, click.user.id.get(), place, lang)
    {
        Ok(answered) => {
            let private = click
                .message
                .flags
                .is_some_and(|flags| flags.contains(MessageFlags::EPHEMERAL));
            let message = convert::interaction_message(&answered, None, private);
            (message, Some(answered.reply))
        }
        Err(notice) => (convert::interaction_notice(notice), None),
    }
}

/// The language to answer a button in: the language of the reply it was on (told from that
/// reply's text, the same way as a question's), else the member's Discord locale.
fn clicked_in(click: &ComponentInteraction) -> Lang {
    let text = click
        .message
        .embeds
        .first()
        .and_then(|embed| embed.description.as_deref())
        .unwrap_or_default();
    lang::detect(text, Some(&click.locale))
}
