//! The config file's `[discord]` table: how the bot connects to Discord and how it behaves
//! there (where it answers, how often, how loudly).
//!
//! These are plain settings with no Discord library types, so the core and its tests never
//! depend on the platform; `crate::discord` turns them into its own types. Ids are checked
//! here (non-zero, well-formed) because the Discord library panics on a zero id.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A Discord id (guild, channel, role). Written as a TOML integer or a string, because ids
/// copied from Discord are long and some people quote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Snowflake(pub u64);

impl<'de> Deserialize<'de> for Snowflake {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Snowflake;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Discord id (a positive integer, or one in a string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Snowflake, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("a Discord id cannot be negative"))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Snowflake, E> {
                if v == 0 {
                    return Err(E::custom("a Discord id cannot be 0"));
                }
                Ok(Snowflake(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Snowflake, E> {
                let id = v
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| E::custom(format!("`{v}` is not a Discord id (digits only)")))?;
                self.visit_u64(id)
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// How many gateway shards to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shards {
    /// As many as Discord recommends (asked at start-up).
    #[default]
    Auto,
    /// Exactly this many, all in this process.
    Fixed(u32),
}

impl<'de> Deserialize<'de> for Shards {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShardsVisitor;
        impl Visitor<'_> for ShardsVisitor {
            type Value = Shards;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"auto\" or a number of shards (1 or more)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Shards, E> {
                match u32::try_from(v) {
                    Ok(n) if n >= 1 => Ok(Shards::Fixed(n)),
                    _ => Err(E::custom("shards must be \"auto\" or a number from 1")),
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Shards, E> {
                match v {
                    "auto" => Ok(Shards::Auto),
                    _ => Err(E::custom(format!(
                        "shards must be \"auto\" or a number, not \"{v}\""
                    ))),
                }
            }
        }
        deserializer.deserialize_any(ShardsVisitor)
    }
}

/// `[first, last, total]`: this process runs shards `first..=last` of `total`, so several
/// processes or machines can split a bot in more than 2,500 servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl<'de> Deserialize<'de> for ShardRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [first, last, total] = <[u32; 3]>::deserialize(deserializer)?;
        if first > last || last >= total {
            return Err(de::Error::custom(format!(
                "shard_range is [first, last, total] with first <= last < total, not [{first}, {last}, {total}]"
            )));
        }
        Ok(Self { first, last, total })
    }
}

/// The permission Discord requires, by default, to see and use the moderators' command
/// (`default_member_permissions`); server admins can change who sees it in Server Settings,
/// Integrations. factbot checks the moderator roles itself on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeratorPermission {
    #[default]
    ManageMessages,
    ManageGuild,
    Administrator,
}

/// The `[discord]` table. Every key is optional; see `config/factbot.example.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// `true`: Discord must run (no token is an error); `false`: never; unset: when a token is
    /// found.
    pub enabled: Option<bool>,
    /// A file holding the bot token, used when `DISCORD_TOKEN` is not set.
    pub token_file: Option<PathBuf>,
    /// Send REST calls to this base URL instead of Discord's: an `http://` address is a
    /// rate-limiting proxy (the library's ratelimiter off); an `https://HOST:PORT` address with
    /// `ca_cert` set stands in for discord.com itself (ratelimiter on, as in production).
    /// `FACTBOT_DISCORD_API_URL` overrides it.
    pub api_url: Option<String>,
    /// A PEM file of a certificate authority to trust for discord.com, with an `https://`
    /// `api_url` (a fake Discord in tests). Only `FACTBOT_DISCORD_CA_CERT` sets it: trusting
    /// another authority for Discord's name is a test and operations hook, not a setting.
    #[serde(skip)]
    pub ca_cert: Option<PathBuf>,
    /// Guilds that get the slash commands at once at start-up; empty = register globally
    /// (which Discord may take up to an hour to show everywhere).
    pub guild_ids: Vec<Snowflake>,
    /// Per guild, the only channels the bot answers in; a guild not listed: every channel.
    pub allowed_channels: BTreeMap<Snowflake, Vec<Snowflake>>,
    /// Seconds a member waits between two questions (0 = no cooldown).
    #[serde(deserialize_with = "super::range::seconds")]
    pub user_cooldown_secs: f64,
    /// At most this many answers per channel per `channel_window_secs` (0 = no limit).
    #[serde(deserialize_with = "super::range::answers")]
    pub channel_max_answers: u32,
    #[serde(deserialize_with = "super::range::window_seconds")]
    pub channel_window_secs: f64,
    pub shards: Shards,
    pub shard_range: Option<ShardRange>,
    /// Roles allowed to run the moderators' commands. Empty: members whose permissions in the
    /// channel include `moderator_permission`.
    pub moderator_role_ids: Vec<Snowflake>,
    pub moderator_permission: ModeratorPermission,
    /// A channel where reload results (what changed, or why a file was refused) are posted.
    pub log_channel_id: Option<Snowflake>,
    /// Whether answers carry "Helpful" / "Not helpful" buttons, recorded with the answer.
    pub helpful_buttons: bool,
    /// Whether replying to a member's message also pings them.
    pub reply_ping: bool,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            token_file: None,
            api_url: None,
            ca_cert: None,
            guild_ids: Vec::new(),
            allowed_channels: BTreeMap::new(),
            user_cooldown_secs: 3.0,
            channel_max_answers: 20,
            channel_window_secs: 60.0,
            shards: Shards::Auto,
            shard_range: None,
            moderator_role_ids: Vec::new(),
            moderator_permission: ModeratorPermission::ManageMessages,
            log_channel_id: None,
            helpful_buttons: false,
            reply_ping: false,
        }
    }
}
