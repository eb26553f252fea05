//! One integration test binary (faster to link than one per file): behaviour of the `factbot`
//! binary and of the bundled facts, seen from outside.

mod ask;
mod bot;
mod bundled_facts;
mod chat;
mod check;
mod config_example;
mod corrections;
mod discord;
mod discord_gateway;
mod discord_rest;
mod eval;
/// The fake Discord is a support library: not every scenario uses every helper.
#[allow(dead_code)]
mod fake_discord;
/// The fake Slack is a support library too.
#[allow(dead_code)]
mod fake_slack;
/// HTTPS for the fake Discord.
mod fake_tls;
mod fleet;
mod history;
mod matching;
mod moderation;
mod newsroom;
mod postgres;
mod props;
mod reload;
mod secrets;
mod slack;
mod slack_corrections;
mod spanish;
mod suggest;
mod support;
mod tidy;
