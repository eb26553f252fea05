//! `/factsadmin reload | status | gaps | stats | suggestions`: the moderators' command, who
//! may use it, and the "Add" / "Dismiss" buttons of suggestions (checked the same way).
//!
//! Why a command of its own rather than `/facts reload`: Discord's `default_member_permissions`
//! applies to a whole top-level command, so moderators' subcommands under `/facts` would either
//! hide the members' topic list from members or show every member the moderators' tools. So
//! `/facts` stays the members' list and `/factsadmin` is restricted twice: Discord shows it only
//! to members with the configured permission (Manage Messages by default; server admins can
//! change that under Server Settings, Integrations), and factbot itself checks the configured
//! moderator roles on every use (or, with none configured, the member's permission in the
//! channel, which Discord reports with the interaction). It is offered in servers only; in a
//! direct message it is refused. Every answer is ephemeral: only the moderator sees it.
//!
//! Reloading and database queries can take longer than Discord's 3 seconds, so those defer
//! the answer and run on a blocking thread, then edit it in.

use std::sync::Arc;

use serenity::all::{
    ChannelId, CommandDataOptionValue, CommandInteraction, CommandOptionType, ComponentInteraction,
    Context, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, Http, InteractionContext, Member,
};
use tokio::sync::broadcast::error::RecvError;

use super::bot::{Bot, HandlerError};
use super::policy::permission_bits;
use super::{convert, retry};
use crate::config::ModeratorPermission;
use crate::conversation::{ModeratorCommand, Notice, ReloadLog, Report, MAX_DAYS};

pub(crate) const FACTS_ADMIN: &str = "factsadmin";

pub(crate) fn definition(permission: ModeratorPermission) -> CreateCommand {
    let days = || {
        CreateCommandOption::new(
            CommandOptionType::Integer,
            "days",
            "How many days back, today included (default 7)",
        )
        .min_int_value(1)
        .max_int_value(u64::from(MAX_DAYS))
    };
    CreateCommand::new(FACTS_ADMIN)
        .description("Moderators: reload the facts, see their status, what was asked")
        .default_member_permissions(permission_bits(permission))
        .contexts(vec![InteractionContext::Guild])
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "reload",
            "Reload the facts files now and show what changed",
        ))
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "status",
            "Files, fact count, version, last reload and open problems",
        ))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "gaps",
                "What members asked that the facts did not answer, most asked first",
            )
            .add_sub_option(days()),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "stats",
                "Questions per day, answer rates, top facts, follow-up clicks",
            )
            .add_sub_option(days()),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "suggestions",
                "Question patterns members' clicks suggest, to add or dismiss",
            )
            .add_sub_option(days()),
        )
}

/// Whether the member behind an interaction may moderate (see the module above).
fn check_moderator(bot: &Bot, guild: Option<u64>, member: Option<&Member>) -> Result<(), Notice> {
    let (roles, permissions) = match member {
        Some(member) => (
            member
                .roles
                .iter()
                .map(|role| role.get())
                .collect::<Vec<_>>(),
            member.permissions,
        ),
        None => (Vec::new(), None),
    };
    bot.moderators.check(guild, &roles, permissions)
}

/// The subcommand asked for, with its `days`.
fn subcommand(command: &CommandInteraction) -> Option<ModeratorCommand> {
    let option = command.data.options.first()?;
    let CommandDataOptionValue::SubCommand(options) = &option.value else {
        return None;
    };
    let days = options
        .iter()
        .find_map(|o| match (o.name.as_str(), &o.value) {
            ("days", CommandDataOptionValue::Integer(days)) => Some(*days),
            _ => None,
        });
    ModeratorCommand::parse(&option.name, days)
}

pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    command: &CommandInteraction,
) -> Result<(), HandlerError> {
    let guild = command.guild_id.map(|guild| guild.get());
    if let Err(refusal) = check_moderator(bot, guild, command.member.as_deref()) {
        tracing::info!(?refusal, guild, "moderators' command refused");
        return respond(ctx, command, convert::interaction_notice(refusal)).await;
    }
    let Some(subcommand) = subcommand(command) else {
        return respond(
            ctx,
            command,
            convert::interaction_notice(Notice::UnknownSubcommand),
        )
        .await;
    };
    tracing::info!(subcommand = subcommand.name(), "moderators' command");
    if let Err(notice) = bot.conversation.can_run(subcommand) {
        return respond(ctx, command, convert::interaction_notice(notice)).await;
    }
    if !subcommand.is_slow() {
        let message = match bot.conversation.moderate(subcommand).await {
            Ok(report) => convert::report_message(&report),
            Err(notice) => convert::interaction_notice(notice),
        };
        return respond(ctx, command, message).await;
    }
    let defer = convert::private_defer();
    retry::send("moderators' defer", || {
        command.create_response(&ctx.http, defer.clone())
    })
    .await?;
    let edit = match bot.conversation.moderate(subcommand).await {
        Ok(report) => convert::report_edit(&report),
        Err(notice) => convert::report_edit(&notice.into()),
    };
    retry::send("moderators' report", || {
        command.edit_response(&ctx.http, edit.clone())
    })
    .await?;
    Ok(())
}

async fn respond(
    ctx: &Context,
    command: &CommandInteraction,
    message: CreateInteractionResponseMessage,
) -> Result<(), HandlerError> {
    let response = CreateInteractionResponse::Message(message);
    retry::send("moderators' response", || {
        command.create_response(&ctx.http, response.clone())
    })
    .await?;
    Ok(())
}

/// A suggestion's "Add" (`add`) or "Dismiss" button: refused for anyone but a moderator;
/// otherwise the change is made (writing the facts file may take a moment, so the answer is
/// deferred), shown privately, and posted with the moderator's id to the log channel.
pub(crate) async fn suggestion_clicked(
    ctx: &Context,
    bot: &Bot,
    click: &ComponentInteraction,
    id: &str,
    add: bool,
) -> Result<(), HandlerError> {
    let guild = click.guild_id.map(|guild| guild.get());
    if let Err(refusal) = check_moderator(bot, guild, click.member.as_ref()) {
        tracing::info!(?refusal, guild, "suggestion button refused");
        let response = CreateInteractionResponse::Message(convert::interaction_notice(refusal));
        retry::send("suggestion refusal", || {
            click.create_response(&ctx.http, response.clone())
        })
        .await?;
        return Ok(());
    }
    let defer = convert::private_defer();
    retry::send("suggestion defer", || {
        click.create_response(&ctx.http, defer.clone())
    })
    .await?;
    let moderator = click.user.id.get().to_string();
    let decision = bot
        .conversation
        .decide_suggestion(id, add, &moderator)
        .await;
    let edit = convert::report_edit(&decision.reply);
    retry::send("suggestion result", || {
        click.edit_response(&ctx.http, edit.clone())
    })
    .await?;
    if let (Some(log), Some(channel)) = (decision.log, bot.log_channel) {
        post_log(&ctx.http, ChannelId::new(channel), &log).await;
    }
    Ok(())
}

/// Posts `report` to the log channel; a failure is logged, never shown.
async fn post_log(http: &Http, channel: ChannelId, report: &Report) {
    let message = convert::report_post(report);
    if let Err(error) = retry::send("log channel", || {
        channel.send_message(http, message.clone())
    })
    .await
    {
        tracing::warn!(
            "cannot post to the moderators' log channel: {}",
            retry::describe(&error)
        );
    }
}

/// Posts each reload attempt worth telling (see [`ReloadLog`]) to the moderators' log channel
/// until the bot stops.
pub(crate) async fn post_reloads(http: Arc<Http>, bot: Arc<Bot>, channel: u64) {
    let channel = ChannelId::new(channel);
    let mut attempts = bot.conversation.reloader().subscribe();
    let mut log = ReloadLog::default();
    loop {
        let attempt = match attempts.recv().await {
            Ok(attempt) => attempt,
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "reload attempts not posted to the log channel");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        let Some(report) = log.report(&attempt) else {
            continue;
        };
        post_log(&http, channel, &report).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_restricted_and_fits_discord_rules() {
        let json = serde_json::to_value(definition(ModeratorPermission::ManageMessages)).unwrap();
        assert_eq!(json["name"], FACTS_ADMIN);
        assert_eq!(json["default_member_permissions"], "8192");
        assert_eq!(json["contexts"], serde_json::json!([0]));
        let names: Vec<&str> = json["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["reload", "status", "gaps", "stats", "suggestions"]);
        for option in json["options"].as_array().unwrap() {
            assert!(option["description"].as_str().unwrap().chars().count() <= 100);
        }
    }
}
