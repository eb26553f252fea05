//! The slash commands: their definitions, their registration, and `/ask` and `/facts`
//! (`/factsadmin` is in `moderation`).
//!
//! Commands are registered by bulk overwrite, which makes Discord's list exactly ours (stale
//! commands disappear), to the configured guilds (instant) or globally (Discord may take up to
//! an hour to show them). Interactions must be answered within 3 seconds: every answer here
//! comes from memory.

use serenity::all::{
    Command, CommandDataOptionValue, CommandInteraction, CommandOptionType, Context, CreateCommand,
    CreateCommandOption, CreateInteractionResponse, CreateInteractionResponseMessage, GuildId,
    Http, UserId,
};

use super::bot::{Bot, HandlerError};
use super::moderation::{self, FACTS_ADMIN};
use super::{convert, corrections, retry, threads};
use crate::config::{ModeratorPermission, Snowflake};
use crate::conversation::{Asked, Notice, Place};
use crate::history::Via;
use crate::lang::Lang;
use crate::reply::Reply;

pub(crate) const ASK: &str = "ask";
pub(crate) const FACTS: &str = "facts";
/// The question option: Discord allows up to 6,000 characters; nobody asks that much.
const QUESTION_MAX: u16 = 500;

/// The commands factbot offers; `/factsadmin` is shown by default to members with
/// `moderator_permission`.
pub(crate) fn definitions(moderator_permission: ModeratorPermission) -> Vec<CreateCommand> {
    vec![
        CreateCommand::new(ASK)
            .description("Ask a question about the story; the answer quotes its source")
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "question",
                    "Your question (suggestions appear as you type)",
                )
                .required(true)
                .set_autocomplete(true)
                .max_length(QUESTION_MAX),
            )
            .add_option(CreateCommandOption::new(
                CommandOptionType::Boolean,
                "private",
                "Only you see the answer",
            ))
            .add_option(CreateCommandOption::new(
                CommandOptionType::User,
                "for",
                "Mention this member with the answer",
            )),
        CreateCommand::new(FACTS)
            .description("List the topics I can answer about (only you see the list)"),
        moderation::definition(moderator_permission),
    ]
}

/// Where the commands were registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    Global(usize),
    Guilds { commands: usize, guilds: usize },
}

/// Overwrites the bot's commands in each of `guilds`, or globally when there are none. The
/// application id must be known to `http` (see `super::application_id`).
pub(crate) async fn register(
    http: &Http,
    guilds: &[Snowflake],
    moderator_permission: ModeratorPermission,
) -> serenity::Result<Registered> {
    let definitions = || definitions(moderator_permission);
    if guilds.is_empty() {
        let commands = retry::send("register commands", || {
            Command::set_global_commands(http, definitions())
        })
        .await?;
        return Ok(Registered::Global(commands.len()));
    }
    let mut count = 0;
    for guild in guilds {
        let guild = GuildId::new(guild.0);
        count = retry::send("register commands", || {
            guild.set_commands(http, definitions())
        })
        .await?
        .len();
    }
    Ok(Registered::Guilds {
        commands: count,
        guilds: guilds.len(),
    })
}

pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    command: &CommandInteraction,
) -> Result<(), HandlerError> {
    // Moderators use their command wherever they are, allow-list or not.
    if command.data.name == FACTS_ADMIN {
        return moderation::handle(ctx, bot, command).await;
    }
    let place = Place {
        server: command.guild_id.map(|guild| guild.get()),
        channel: command.channel_id.get(),
        parent: threads::parent_in(command.channel.as_ref()),
    };
    let mut answered = None;
    let message = match command.data.name.as_str() {
        _ if !bot.conversation.allows(place) => convert::interaction_notice(Notice::NotHere),
        ASK => match ask(bot, command, place) {
            Ok((message, reply)) => {
                answered = Some(reply);
                message
            }
            Err(notice) => convert::interaction_notice(notice),
        },
        FACTS => {
            // Nothing typed: the member's Discord locale says which language.
            let lang = Lang::from_locale(&command.locale).unwrap_or(Lang::EN);
            let (page, topic) = bot.conversation.topics(0, lang);
            convert::topics_message(&page, &topic)
        }
        other => {
            tracing::warn!(
                command = other,
                "unknown command; were old commands left registered?"
            );
            convert::interaction_notice(Notice::UnknownCommand)
        }
    };
    let response = CreateInteractionResponse::Message(message);
    retry::send("command response", || {
        command.create_response(&ctx.http, response.clone())
    })
    .await?;
    if let Some(reply) = answered {
        let application = command.application_id.get();
        corrections::record_interaction(bot, &reply, application, &command.token);
    }
    Ok(())
}

/// `/ask question: [private:] [for:]`, in the language of the question (the member's Discord
/// locale tips a question whose words say nothing); with the reply, to record once sent.
fn ask(
    bot: &Bot,
    command: &CommandInteraction,
    place: Place,
) -> Result<(CreateInteractionResponseMessage, Reply), Notice> {
    let (mut question, mut private, mut for_user) = ("", false, None::<UserId>);
    for option in &command.data.options {
        match (option.name.as_str(), &option.value) {
            ("question", CommandDataOptionValue::String(text)) => question = text.as_str(),
            ("private", CommandDataOptionValue::Boolean(flag)) => private = *flag,
            ("for", CommandDataOptionValue::User(user)) => for_user = Some(*user),
            _ => {}
        }
    }
    let asked = Asked {
        text: question,
        via: Via::Slash,
        user: command.user.id.get(),
        place,
        locale: Some(&command.locale),
    };
    let answered = bot.answer(asked)?;
    let message = convert::interaction_message(&answered, for_user, private);
    Ok((message, answered.reply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_fit_discord_rules() {
        let json = serde_json::to_value(definitions(ModeratorPermission::default())).unwrap();
        for command in json.as_array().unwrap() {
            let name = command["name"].as_str().unwrap();
            assert!(
                name.len() <= 32 && name.bytes().all(|b| b.is_ascii_lowercase()),
                "{name}"
            );
            assert!(command["description"].as_str().unwrap().chars().count() <= 100);
            for option in command["options"].as_array().into_iter().flatten() {
                assert!(option["description"].as_str().unwrap().chars().count() <= 100);
            }
        }
        assert_eq!(json[0]["options"][0]["autocomplete"], true);
        assert_eq!(json[0]["options"][2]["type"], 6);
    }
}
