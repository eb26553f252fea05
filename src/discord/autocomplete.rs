//! `/ask` autocomplete: Discord asks on every keystroke; the core's suggestions answer from
//! memory, well within the 3 seconds.

use serenity::all::{CommandInteraction, Context, CreateInteractionResponse};

use super::bot::{Bot, HandlerError};
use super::{convert, retry};
use crate::limits;

/// Answers an autocomplete request with choices whose value is the question itself.
pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    request: &CommandInteraction,
) -> Result<(), HandlerError> {
    let typed = request
        .data
        .autocomplete()
        .map_or("", |option| option.value);
    let questions = bot
        .conversation
        .suggest(typed, limits::AUTOCOMPLETE_CHOICES);
    let response = CreateInteractionResponse::Autocomplete(convert::choices(&questions));
    retry::send("autocomplete", || {
        request.create_response(&ctx.http, response.clone())
    })
    .await?;
    Ok(())
}
