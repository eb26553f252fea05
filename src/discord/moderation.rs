//! `/factsadmin reload | status | gaps | stats`: the moderators' command, and who may use it.
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

use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandInteraction, CommandOptionType, Context,
    CreateCommand, CreateCommandOption, CreateEmbed, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditInteractionResponse, InteractionContext, Permissions,
};

use super::handler::{Bot, HandlerError};
use super::{convert, retry};
use crate::clock;
use crate::config::ModeratorPermission;
use crate::history::{Database, Gaps, Stats};
use crate::limits::{self, truncate_lines};
use crate::reload::{self, ReloadResult, Trigger};

pub(crate) const FACTS_ADMIN: &str = "factsadmin";
/// Days `gaps` and `stats` cover unless asked otherwise, and at most.
const DEFAULT_DAYS: u32 = 7;
const MAX_DAYS: u32 = 365;
/// Gap groups listed at most (the embed holds about this many with their details).
const GAPS_SHOWN: usize = 15;
/// Facts per "top" list in `stats`.
const TOP: usize = 10;

const OK_COLOUR: u32 = 0x2f_85_5a;
const PROBLEM_COLOUR: u32 = 0xc5_30_30;
const INFO_COLOUR: u32 = 0x2b_6c_b0;

pub(crate) fn permission_bits(permission: ModeratorPermission) -> Permissions {
    match permission {
        ModeratorPermission::ManageMessages => Permissions::MANAGE_MESSAGES,
        ModeratorPermission::ManageGuild => Permissions::MANAGE_GUILD,
        ModeratorPermission::Administrator => Permissions::ADMINISTRATOR,
    }
}

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
}

/// Who may use the moderators' command.
pub(crate) struct Policy {
    roles: HashSet<u64>,
    permission: Permissions,
}

/// Why a member was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    NotInAServer,
    NotAModerator,
}

impl Refusal {
    pub(crate) fn notice(self) -> &'static str {
        match self {
            Self::NotInAServer => {
                "The moderators' commands work in a server, not in direct messages."
            }
            Self::NotAModerator => "Sorry, this command is for the facts moderators only.",
        }
    }
}

impl Policy {
    pub(crate) fn new(
        roles: impl IntoIterator<Item = u64>,
        permission: ModeratorPermission,
    ) -> Self {
        Self {
            roles: roles.into_iter().collect(),
            permission: permission_bits(permission),
        }
    }

    /// Checks a member: in a server, holding a moderator role (or, when no role is
    /// configured, the moderator permission in this channel; Discord's own check can be
    /// relaxed by server admins, so it is not trusted alone).
    pub(crate) fn check(
        &self,
        guild: Option<u64>,
        roles: &[u64],
        permissions: Option<Permissions>,
    ) -> Result<(), Refusal> {
        if guild.is_none() {
            return Err(Refusal::NotInAServer);
        }
        let allowed = if self.roles.is_empty() {
            permissions.is_some_and(|p| p.contains(self.permission) || p.administrator())
        } else {
            roles.iter().any(|role| self.roles.contains(role))
        };
        if allowed {
            Ok(())
        } else {
            Err(Refusal::NotAModerator)
        }
    }
}

/// The subcommand asked for, and its `days`.
fn subcommand(command: &CommandInteraction) -> Option<(&str, u32)> {
    let option: &CommandDataOption = command.data.options.first()?;
    let CommandDataOptionValue::SubCommand(options) = &option.value else {
        return None;
    };
    let days = options
        .iter()
        .find_map(|o| match (o.name.as_str(), &o.value) {
            ("days", CommandDataOptionValue::Integer(days)) => u32::try_from(*days).ok(),
            _ => None,
        })
        .unwrap_or(DEFAULT_DAYS)
        .clamp(1, MAX_DAYS);
    Some((option.name.as_str(), days))
}

/// A report as an embed: Discord markdown escaped (a path like `facts/new_story_2.toml` must
/// not turn italic), then cut at whole lines to fit.
fn report_embed(text: &str, colour: u32) -> CreateEmbed {
    CreateEmbed::new()
        .description(truncate_lines(
            &escape_markdown(text),
            limits::EMBED_DESCRIPTION,
        ))
        .colour(colour)
}

fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn private(text: &str, colour: u32) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embed(report_embed(text, colour))
        .allowed_mentions(convert::allowed_mentions(None, false))
        .ephemeral(true)
}

pub(crate) async fn handle(
    ctx: &Context,
    bot: &Bot,
    command: &CommandInteraction,
) -> Result<(), HandlerError> {
    let guild = command.guild_id.map(|guild| guild.get());
    let (roles, permissions) = match &command.member {
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
    if let Err(refusal) = bot.moderators.check(guild, &roles, permissions) {
        tracing::info!(?refusal, guild, "moderators' command refused");
        return respond(ctx, command, convert::interaction_notice(refusal.notice())).await;
    }
    let Some((name, days)) = subcommand(command) else {
        return respond(
            ctx,
            command,
            convert::interaction_notice("I don't know that subcommand."),
        )
        .await;
    };
    tracing::info!(subcommand = name, days, "moderators' command");
    match name {
        "status" => {
            let health = bot.history.as_ref().map(|history| history.health());
            let text = reload::status_text(&bot.reloader, health.as_ref(), SystemTime::now());
            let colour = if bot.reloader.state().problems.is_empty() {
                INFO_COLOUR
            } else {
                PROBLEM_COLOUR
            };
            respond(ctx, command, private(&text, colour)).await
        }
        "reload" => {
            defer(ctx, command).await?;
            let attempt = bot.reloader.reload(Trigger::Command).await;
            let colour = match attempt.result {
                ReloadResult::Failed { .. } => PROBLEM_COLOUR,
                _ => OK_COLOUR,
            };
            edit(ctx, command, &attempt.summary(), colour).await
        }
        "gaps" | "stats" => {
            let Some(history) = bot.history.as_ref() else {
                return respond(
                    ctx,
                    command,
                    convert::interaction_notice(
                        "Questions are not recorded on this bot (history.enabled = false in its config).",
                    ),
                )
                .await;
            };
            defer(ctx, command).await?;
            let path = history.path().to_path_buf();
            let snapshot = bot.store.snapshot();
            let gaps = name == "gaps";
            let text = tokio::task::spawn_blocking(move || {
                let since = clock::days_back(clock::now(), days);
                let db = Database::open_existing(&path)?;
                let base = Some(&snapshot.base);
                Ok::<_, crate::history::DbError>(if gaps {
                    let rows = db.unanswered(since, crate::history::GAP_ROWS)?;
                    Gaps::build(&rows, base, days, since, GAPS_SHOWN).to_text()
                } else {
                    Stats::build(&db.stats(since, TOP)?, base, days, since).to_text()
                })
            })
            .await;
            let (text, colour) = match text {
                Ok(Ok(text)) => (text, INFO_COLOUR),
                Ok(Err(error)) => (
                    format!("Cannot read the questions database: {error}"),
                    PROBLEM_COLOUR,
                ),
                Err(join) => (format!("The query failed: {join}"), PROBLEM_COLOUR),
            };
            edit(ctx, command, &text, colour).await
        }
        _ => {
            respond(
                ctx,
                command,
                convert::interaction_notice("I don't know that subcommand."),
            )
            .await
        }
    }
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

/// "factbot is thinking…", privately: the answer is edited in when ready.
async fn defer(ctx: &Context, command: &CommandInteraction) -> Result<(), HandlerError> {
    let response = CreateInteractionResponse::Defer(
        CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .allowed_mentions(convert::allowed_mentions(None, false)),
    );
    retry::send("moderators' defer", || {
        command.create_response(&ctx.http, response.clone())
    })
    .await?;
    Ok(())
}

async fn edit(
    ctx: &Context,
    command: &CommandInteraction,
    text: &str,
    colour: u32,
) -> Result<(), HandlerError> {
    let edit = EditInteractionResponse::new()
        .embed(report_embed(text, colour))
        .allowed_mentions(convert::allowed_mentions(None, false));
    retry::send("moderators' report", || {
        command.edit_response(&ctx.http, edit.clone())
    })
    .await?;
    Ok(())
}

/// Posts each reload attempt to the moderators' log channel until the bot stops. A failure
/// identical to the one just posted (an editor saving the same broken file again) is not
/// posted twice, and a save that changed nothing is not posted at all.
pub(crate) async fn post_reloads(http: Arc<serenity::all::Http>, bot: Arc<Bot>, channel: u64) {
    let channel = serenity::all::ChannelId::new(channel);
    let mut attempts = bot.reloader.subscribe();
    let mut last_failure: Option<Vec<String>> = None;
    loop {
        let attempt = match attempts.recv().await {
            Ok(attempt) => attempt,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "reload attempts not posted to the log channel");
                continue;
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let colour = match &attempt.result {
            ReloadResult::Unchanged { .. } => continue,
            ReloadResult::Failed { diagnostics } => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                if last_failure.as_ref() == Some(&lines) {
                    continue;
                }
                last_failure = Some(lines);
                PROBLEM_COLOUR
            }
            ReloadResult::Reloaded(_) => {
                last_failure = None;
                OK_COLOUR
            }
        };
        let message = serenity::all::CreateMessage::new()
            .embed(report_embed(&attempt.summary(), colour))
            .allowed_mentions(convert::allowed_mentions(None, false));
        if let Err(error) = retry::send("log channel", || {
            channel.send_message(&http, message.clone())
        })
        .await
        {
            tracing::warn!(
                "cannot post to the moderators' log channel: {}",
                retry::describe(&error)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moderators_in_a_server_pass() {
        let by_role = Policy::new([42], ModeratorPermission::ManageMessages);
        assert_eq!(
            by_role.check(None, &[42], Some(Permissions::all())),
            Err(Refusal::NotInAServer)
        );
        assert_eq!(by_role.check(Some(1), &[7, 42], None), Ok(()));
        assert_eq!(
            by_role.check(Some(1), &[7], Some(Permissions::all())),
            Err(Refusal::NotAModerator),
            "with roles configured, the role is required"
        );
        let by_permission = Policy::new([], ModeratorPermission::ManageMessages);
        assert_eq!(
            by_permission.check(Some(1), &[], Some(Permissions::MANAGE_MESSAGES)),
            Ok(())
        );
        assert_eq!(
            by_permission.check(Some(1), &[], Some(Permissions::SEND_MESSAGES)),
            Err(Refusal::NotAModerator)
        );
        assert_eq!(
            by_permission.check(Some(1), &[], None),
            Err(Refusal::NotAModerator)
        );
    }

    #[test]
    fn reports_keep_their_characters_on_discord() {
        assert_eq!(
            escape_markdown("facts/new_story_2.toml:3:1: *x* `y` a|b ~z~ \\"),
            "facts/new\\_story\\_2.toml:3:1: \\*x\\* \\`y\\` a\\|b \\~z\\~ \\\\"
        );
        let long = "line\n".repeat(2000);
        let embed = serde_json::to_value(report_embed(&long, 0)).unwrap();
        let description = embed["description"].as_str().unwrap();
        assert!(description.chars().count() <= limits::EMBED_DESCRIPTION);
        assert!(description.ends_with("more line(s)"));
    }

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
        assert_eq!(names, ["reload", "status", "gaps", "stats"]);
        for option in json["options"].as_array().unwrap() {
            assert!(option["description"].as_str().unwrap().chars().count() <= 100);
        }
    }
}
