//! Corrections on Discord: the [`Editor`] that replaces an earlier reply's embed and buttons,
//! and the record of each reply the bot sends (channel and message ids, or a slash command's
//! token for the 15 minutes Discord honours it; never who asked).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use secrecy::ExposeSecret as _;
use serenity::all::{
    ApplicationId, ChannelId, CreateMessage, EditInteractionResponse, EditMessage, Http, HttpError,
    Message, MessageId,
};
use serenity::builder::Builder as _;

use super::bot::Bot;
use super::convert::{self, Layout};
use super::{DiscordError, Services, Token};
use crate::config::DiscordConfig;
use crate::corrections::{Edit, EditError, Editor, Platform, Recorder, Report, Sent, Target};
use crate::reply::Reply;

/// How long Discord accepts edits through an interaction's token.
pub(crate) const INTERACTION_TOKEN_LIFE: Duration = Duration::from_secs(15 * 60);
/// Discord's "Unknown Message": the reply was deleted.
const UNKNOWN_MESSAGE: isize = 10008;
/// Discord's "Unknown Webhook" and "Invalid Webhook Token": the interaction token expired.
const EXPIRED_TOKEN: [isize; 2] = [10015, 50027];

pub(crate) struct DiscordEditor {
    pub(crate) http: Arc<Http>,
}

impl Editor for DiscordEditor {
    async fn edit(&self, edit: &Edit, reply: &Reply) -> Result<(), EditError> {
        let layout = Layout::of(reply);
        let result = match &edit.target {
            Target::Message { channel, message } => {
                let (Ok(channel), Ok(message)) = (channel.parse::<u64>(), message.parse::<u64>())
                else {
                    return Err(EditError::Failed("not a Discord message id".into()));
                };
                let builder = EditMessage::new()
                    .embed(layout.embed())
                    .components(layout.rows());
                ChannelId::new(channel.max(1))
                    .edit_message(&self.http, MessageId::new(message.max(1)), builder)
                    .await
                    .map(drop)
            }
            Target::Expired | Target::Uneditable => return Err(EditError::Expired),
            Target::Interaction {
                application, token, ..
            } => {
                let Ok(application) = application.parse::<u64>() else {
                    return Err(EditError::Failed("not a Discord application id".into()));
                };
                // The interaction routes name the application; this client learns it here.
                self.http
                    .set_application_id(ApplicationId::new(application.max(1)));
                EditInteractionResponse::new()
                    .embed(layout.embed())
                    .components(layout.rows())
                    .execute(&self.http, token.expose_secret())
                    .await
                    .map(drop)
            }
        };
        result.map_err(classify)
    }
}

fn classify(error: serenity::Error) -> EditError {
    if let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = &error {
        if response.error.code == UNKNOWN_MESSAGE {
            return EditError::Gone;
        }
        if EXPIRED_TOKEN.contains(&response.error.code) {
            return EditError::Expired;
        }
    }
    EditError::Failed(error.to_string())
}

/// Files a reply posted as a message, when it is about a fact.
pub(crate) fn record_message(bot: &Bot, reply: &Reply, sent: &Message) {
    record(
        bot,
        reply,
        Target::Message {
            channel: sent.channel_id.get().to_string().into(),
            message: sent.id.get().to_string().into(),
        },
    );
}

/// Files a reply given as an interaction's response: editable through its token only.
pub(crate) fn record_interaction(bot: &Bot, reply: &Reply, application: u64, token: &str) {
    let target = Target::Interaction {
        application: application.to_string().into(),
        token: token.to_owned().into(),
        expires: SystemTime::now() + INTERACTION_TOKEN_LIFE,
    };
    record(bot, reply, target);
}

fn record(bot: &Bot, reply: &Reply, target: Target) {
    // Only replies about a fact can need a correction.
    let Some(fact) = reply.fact.clone() else {
        return;
    };
    bot.corrections.record(Sent {
        platform: Platform::Discord,
        target,
        fact,
        lang: reply.lang,
        sent_at: SystemTime::now(),
    });
}

/// Starts correcting this bot's replies: the edits go through a REST client of their own, so
/// they never queue behind answers, and each reload's report goes to the log channel.
pub(crate) fn start(
    config: &DiscordConfig,
    token: &Token,
    services: &Services,
) -> Result<Recorder, DiscordError> {
    let http = Arc::new(super::rest::http(config, token)?);
    let log_channel = config
        .log_channel_id
        .map(|channel| ChannelId::new(channel.0));
    let editor = DiscordEditor {
        http: Arc::clone(&http),
    };
    let report = move |report: Report| {
        let Some(channel) = log_channel.filter(|_| !report.is_empty()) else {
            return;
        };
        let http = Arc::clone(&http);
        let body = CreateMessage::new()
            .content(report.text())
            .allowed_mentions(convert::allowed_mentions(None, false));
        tokio::spawn(async move {
            if let Err(error) = channel.send_message(&http, body).await {
                tracing::warn!("cannot post the corrections report: {error}");
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
