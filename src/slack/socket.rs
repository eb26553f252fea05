//! Socket Mode: the websocket Slack pushes events into, kept open for as long as the bot runs.
//!
//! Slack's rules, and how they are kept:
//! - **Ack within 3 seconds.** Each connection acks an envelope the moment it is read, before
//!   the envelope is handed on, so slow work can never delay an ack.
//! - **Re-sent envelopes.** An envelope Slack re-sends (`retry_attempt` > 0) has a new
//!   envelope id but the same `event_id`; [`Seen`] remembers recent keys so it is answered once.
//! - **`disconnect`.** Slack warns before closing a connection (`warning`,
//!   `refresh_requested`): a new one is opened through `apps.connections.open` at once while
//!   the old one keeps reading until Slack closes it (or [`RETIRE_AFTER`]), so nothing sent
//!   meanwhile is lost; an envelope both deliver is deduplicated like a re-send.
//! - **A dropped socket** is reopened after a backoff doubling from [`FIRST_BACKOFF`] to
//!   [`LONGEST_BACKOFF`], reset once a connection says hello.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::json;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::api::{ApiError, WebApi};
use super::events::{self, Envelope, Frame};

/// The wait before reopening a dropped socket; it doubles while Slack cannot be reached, up to
/// [`LONGEST_BACKOFF`], and starts again at this once a connection says hello.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
pub const LONGEST_BACKOFF: Duration = Duration::from_secs(30);
/// How long a connection Slack said it will close keeps reading beside its successor.
pub(crate) const RETIRE_AFTER: Duration = Duration::from_secs(15);
/// Envelope keys remembered for deduplication (Slack re-sends within minutes).
const SEEN: usize = 4096;

/// Recently handled envelope keys, oldest first out.
#[derive(Default)]
pub(crate) struct Seen(Mutex<(HashSet<String>, VecDeque<String>)>);

impl Seen {
    /// Whether `key` is new (and remembers it).
    pub(crate) fn first(&self, key: &str) -> bool {
        let mut seen = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (set, order) = &mut *seen;
        if !set.insert(key.to_owned()) {
            return false;
        }
        order.push_back(key.to_owned());
        if order.len() > SEEN {
            if let Some(oldest) = order.pop_front() {
                set.remove(&oldest);
            }
        }
        true
    }
}

/// What a connection tells the manager.
#[derive(Debug)]
enum Status {
    Hello(u64),
    Disconnect(u64, String),
    Closed(u64),
}

/// Keeps a Socket Mode connection open until `stop` turns true, sending every envelope
/// (already acked) to `envelopes`. Fails only when the first `apps.connections.open` is
/// refused (a bad app token).
pub(crate) async fn run(
    api: Arc<WebApi>,
    app_token: String,
    envelopes: mpsc::Sender<Envelope>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), ApiError> {
    let (status_tx, mut status) = mpsc::channel(16);
    let mut backoff = FIRST_BACKOFF;
    let mut current = 0;
    let mut first = true;
    'connect: loop {
        let url = match api.open_connection(&app_token).await {
            Ok(url) => url,
            Err(error) if first && error.code().is_some() => return Err(error),
            Err(error) => {
                tracing::warn!(
                    "cannot open a Socket Mode connection: {error}; retrying in {backoff:?}"
                );
                if wait_or_stop(&mut stop, backoff).await {
                    return Ok(());
                }
                backoff = (backoff * 2).min(LONGEST_BACKOFF);
                continue;
            }
        };
        first = false;
        current += 1;
        tokio::spawn(connection(
            url,
            current,
            envelopes.clone(),
            status_tx.clone(),
            stop.clone(),
        ));
        loop {
            let event = tokio::select! {
                _ = stop.changed() => return Ok(()),
                event = status.recv() => event,
            };
            match event {
                Some(Status::Hello(id)) if id == current => backoff = FIRST_BACKOFF,
                Some(Status::Disconnect(id, reason)) if id == current => {
                    tracing::info!(reason, "Slack asked for a new Socket Mode connection");
                    continue 'connect;
                }
                Some(Status::Closed(id)) if id == current => {
                    tracing::warn!(
                        "the Socket Mode connection dropped; reconnecting in {backoff:?}"
                    );
                    if wait_or_stop(&mut stop, backoff).await {
                        return Ok(());
                    }
                    backoff = (backoff * 2).min(LONGEST_BACKOFF);
                    continue 'connect;
                }
                Some(_) => {}
                None => return Ok(()),
            }
        }
    }
}

/// Sleeps `wait`; true when `stop` turned true meanwhile.
async fn wait_or_stop(stop: &mut watch::Receiver<bool>, wait: Duration) -> bool {
    tokio::select! {
        _ = stop.changed() => true,
        () = tokio::time::sleep(wait) => *stop.borrow(),
    }
}

/// One websocket: acks and forwards envelopes until Slack closes it, it fails, it has been
/// retired for [`RETIRE_AFTER`], or the bot stops.
async fn connection(
    url: String,
    id: u64,
    envelopes: mpsc::Sender<Envelope>,
    status: mpsc::Sender<Status>,
    mut stop: watch::Receiver<bool>,
) {
    let socket = match tokio_tungstenite::connect_async(url.as_str()).await {
        Ok((socket, _)) => socket,
        Err(error) => {
            tracing::warn!("cannot connect the Socket Mode websocket: {error}");
            let _ = status.send(Status::Closed(id)).await;
            return;
        }
    };
    let (mut write, mut read) = socket.split();
    let mut retire_at: Option<tokio::time::Instant> = None;
    loop {
        let retired = async {
            match retire_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let frame = tokio::select! {
            _ = stop.changed() => {
                let _ = write.send(WsMessage::Close(None)).await;
                break;
            }
            () = retired => {
                let _ = write.send(WsMessage::Close(None)).await;
                break;
            }
            frame = read.next() => frame,
        };
        let text = match frame {
            Some(Ok(WsMessage::Text(text))) => text,
            Some(Ok(WsMessage::Ping(payload))) => {
                let _ = write.send(WsMessage::Pong(payload)).await;
                continue;
            }
            Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
            Some(Ok(_)) => continue,
        };
        match events::parse(&text) {
            Frame::Envelope(envelope) => {
                let ack = json!({"envelope_id": envelope.id}).to_string();
                if let Err(error) = write.send(WsMessage::Text(ack)).await {
                    tracing::warn!("cannot ack an envelope: {error}");
                    break;
                }
                if envelopes.send(*envelope).await.is_err() {
                    break;
                }
            }
            Frame::Hello => {
                let _ = status.send(Status::Hello(id)).await;
            }
            Frame::Disconnect { reason } => {
                retire_at.get_or_insert(tokio::time::Instant::now() + RETIRE_AFTER);
                let _ = status.send(Status::Disconnect(id, reason)).await;
            }
            Frame::Other => tracing::debug!("ignoring a Socket Mode frame factbot does not use"),
        }
    }
    let _ = status.send(Status::Closed(id)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_new_once_and_old_keys_are_forgotten() {
        let seen = Seen::default();
        assert!(seen.first("Ev1"));
        assert!(!seen.first("Ev1"));
        for i in 0..SEEN {
            assert!(seen.first(&format!("k{i}")));
        }
        assert!(seen.first("Ev1"), "forgotten after {SEEN} newer keys");
    }
}
