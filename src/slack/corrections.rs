//! Corrections on Slack: the [`Editor`] that replaces an earlier answer with `chat.update`, and
//! the record of each answer the bot posts about a fact (channel id and message ts; never who
//! asked).
//!
//! Only messages the bot posted with `chat.postMessage` can be corrected: Slack's
//! `chat.update` refuses ephemeral messages, and an answer sent through a `response_url`
//! comes back without a message ts. Those are recorded as [`Target::Uneditable`], so a
//! reload's report counts them among the answers that could not be edited.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use super::api::{ApiError, WebApi};
use super::blocks;
use super::bot::SlackBot;
use crate::config::SlackConfig;
use crate::conversation::Services;
use crate::corrections::{Edit, EditError, Editor, Platform, Recorder, Report, Sent, Target};
use crate::reply::Reply;

/// `chat.update` is in Slack's rate-limit tier 3 (about 50 calls a minute): one edit per
/// 1.2 s stays under it however low `corrections.pace_ms` is set.
const CHAT_UPDATE_PACE: Duration = Duration::from_millis(1200);
/// Slack's answers for a message, or its channel, that is gone: skipped, never retried.
const GONE: [&str; 3] = ["message_not_found", "channel_not_found", "is_archived"];
/// Slack's answers for a message it will not let the bot edit: skipped, never retried.
const NOT_EDITABLE: [&str; 2] = ["cant_update_message", "edit_window_closed"];

pub(crate) struct SlackEditor {
    api: WebApi,
    bot_token: String,
}

impl Editor for SlackEditor {
    fn min_pace(&self) -> Duration {
        CHAT_UPDATE_PACE
    }

    async fn edit(&self, edit: &Edit, reply: &Reply) -> Result<(), EditError> {
        let Target::Message { channel, message } = &edit.target else {
            return Err(EditError::Expired);
        };
        let mut body = blocks::corrected(reply);
        body["channel"] = json!(channel);
        body["ts"] = json!(message);
        self.api
            .post("chat.update", &self.bot_token, &body)
            .await
            .map(drop)
            .map_err(classify)
    }
}

fn classify(error: ApiError) -> EditError {
    match error.code() {
        Some(code) if GONE.contains(&code) => EditError::Gone,
        Some(code) if NOT_EDITABLE.contains(&code) => EditError::Expired,
        _ => EditError::Failed(error.to_string()),
    }
}

/// Files an answer posted with `chat.postMessage`, from Slack's answer to the post (its
/// `channel` and `ts`), when it is about a fact.
pub(crate) fn record_message(bot: &SlackBot, reply: &Reply, posted: &Value) {
    let (Some(channel), Some(ts)) = (posted["channel"].as_str(), posted["ts"].as_str()) else {
        tracing::debug!("Slack's answer to a post has no channel or ts; it cannot be corrected");
        return;
    };
    let target = Target::Message {
        channel: channel.into(),
        message: ts.into(),
    };
    record(bot, reply, target);
}

/// Files an answer Slack gives no way to edit (ephemeral, or sent through a `response_url`).
pub(crate) fn record_uneditable(bot: &SlackBot, reply: &Reply) {
    record(bot, reply, Target::Uneditable);
}

fn record(bot: &SlackBot, reply: &Reply, target: Target) {
    // Only replies about a fact can need a correction.
    let Some(fact) = reply.fact.clone() else {
        return;
    };
    bot.corrections.record(Sent {
        platform: Platform::Slack,
        target,
        fact,
        lang: reply.lang,
        sent_at: SystemTime::now(),
    });
}

/// Starts correcting this bot's answers through a Web API client of its own, and posts each
/// reload's report to `slack.log_channel` (the log line says it in any case).
pub(crate) fn start(
    config: &SlackConfig,
    bot_token: &str,
    services: &Services,
) -> Result<Recorder, ApiError> {
    let editor = SlackEditor {
        api: WebApi::new(config.api_url.as_deref())?,
        bot_token: bot_token.to_owned(),
    };
    let reports = Arc::new(WebApi::new(config.api_url.as_deref())?);
    let log_channel = config.log_channel.clone();
    let token = bot_token.to_owned();
    let report = move |report: Report| {
        let Some(channel) = log_channel.as_ref().filter(|_| !report.is_empty()) else {
            return;
        };
        let mut body = blocks::plain(&report.text());
        body["channel"] = json!(channel);
        let (api, token) = (Arc::clone(&reports), token.clone());
        tokio::spawn(async move {
            if let Err(error) = api.post("chat.postMessage", &token, &body).await {
                tracing::warn!("cannot post the corrections report to Slack: {error}");
            }
        });
    };
    Ok(crate::corrections::start(
        &services.corrections,
        &services.reloader,
        editor,
        report,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: &str) -> ApiError {
        ApiError::Refused {
            call: "chat.update".into(),
            error: code.into(),
        }
    }

    #[test]
    fn gone_and_uneditable_messages_are_told_apart_from_failures() {
        for code in ["message_not_found", "channel_not_found"] {
            assert!(matches!(classify(refused(code)), EditError::Gone), "{code}");
        }
        assert!(matches!(
            classify(refused("cant_update_message")),
            EditError::Expired
        ));
        assert!(matches!(
            classify(refused("invalid_blocks")),
            EditError::Failed(_)
        ));
        assert!(matches!(
            classify(ApiError::RateLimited {
                call: "chat.update".into()
            }),
            EditError::Failed(_)
        ));
    }
}
