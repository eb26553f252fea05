//! A fake Slack (Web API + Socket Mode websocket) on 127.0.0.1 for end-to-end tests.
//!
//! The bot's real Slack client connects to it: `FACTBOT_SLACK_API_URL` (or `slack.api_url`)
//! points at [`FakeSlack::api_url`], `apps.connections.open` hands out a `ws://` address of
//! this fake, and interaction `response_url`s point back at it. Payloads follow Slack's
//! documented shapes: Socket Mode `hello`, `disconnect` and envelopes (`events_api`,
//! `slash_commands`, `interactive`) with `envelope_id`, `retry_attempt`; Events API
//! `event_callback` with `event_id`; `app_mention`, `message` (`channel_type: im`),
//! `block_actions`. Web API answers are `{"ok": true, …}` or `{"ok": false, "error": …}`, and a
//! call can be made to answer 429 with `Retry-After`. The fake keeps the messages the bot
//! posted, so `chat.update` answers as Slack does: the updated `channel`, `ts`, `text` and
//! `message`, or `channel_not_found`, `message_not_found` (deleted); `chat.postMessage` where
//! the bot is not a member answers `not_in_channel`.
//! Every wait is bounded.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub const BOT_TOKEN: &str = "xoxb-fake-bot";
pub const APP_TOKEN: &str = "xapp-fake-app";
pub const BOT_USER: &str = "UBOT0001";
pub const TEAM: &str = "T0TEAM001";

/// One HTTP call the bot made: a Web API method or a `response_url` post.
#[derive(Clone, Debug)]
pub struct Call {
    pub index: usize,
    /// `chat.postMessage`…, or `response_url`.
    pub method: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub body: Value,
    /// The status the fake answered.
    pub status: u16,
    /// What the fake answered (`Null` for a `response_url`, which answers "ok").
    pub response: Value,
    pub at: Instant,
}

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    claimed: Vec<usize>,
    /// Socket id → its outgoing frames; the newest is where envelopes go.
    sockets: Vec<(u64, mpsc::UnboundedSender<Option<String>>)>,
    next_socket: u64,
    connections_opened: usize,
    hellos: usize,
    /// Frames the bot sent (acks), with when.
    received: Vec<(Value, Instant)>,
    /// Envelope id → when it was sent.
    sent_at: HashMap<String, Instant>,
    /// Method → `Retry-After` seconds for its next call.
    rate_limit: HashMap<String, u64>,
    /// Method → how many of its next calls answer HTTP 500 (Slack having a bad moment).
    failing: HashMap<String, usize>,
    group_members: HashMap<String, Vec<String>>,
    admins: Vec<String>,
    ts: u64,
    /// (channel, ts) of the bot's messages that were not deleted.
    messages: HashSet<(String, String)>,
    /// Channels the bot was not invited to.
    not_member: Vec<String>,
    /// Channels that exist: those with a message posted in them.
    channels: Vec<String>,
}

struct Inner {
    addr: SocketAddr,
    state: Mutex<State>,
    changed: watch::Sender<u64>,
}

impl Inner {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.state.lock().expect("fake state"));
        self.changed.send_modify(|n| *n += 1);
        out
    }

    async fn wait_until<T>(
        &self,
        within: Duration,
        mut f: impl FnMut(&mut State) -> Option<T>,
    ) -> Option<T> {
        let mut changes = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(found) = f(&mut self.state.lock().expect("fake state")) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                return None;
            }
        }
    }
}

pub struct FakeSlack {
    inner: Arc<Inner>,
    server: JoinHandle<()>,
}

impl Drop for FakeSlack {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeSlack {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the fake Slack");
        let addr = listener.local_addr().expect("address");
        let inner = Arc::new(Inner {
            addr,
            state: Mutex::new(State::default()),
            changed: watch::channel(0).0,
        });
        let app = Router::new()
            .route("/api/:method", post(api))
            .route("/respond/:id", post(respond))
            .route("/link", get(link))
            .with_state(Arc::clone(&inner));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { inner, server }
    }

    /// The Web API base, as `slack.api_url` takes it.
    pub fn api_url(&self) -> String {
        format!("http://{}/api/", self.inner.addr)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.with(|st| st.calls.clone())
    }

    /// The next call matching `pred` not returned before.
    pub async fn call(&self, pred: impl Fn(&Call) -> bool, within: Duration) -> Call {
        let found = self
            .inner
            .wait_until(within, |st| {
                let call = st
                    .calls
                    .iter()
                    .find(|c| !st.claimed.contains(&c.index) && pred(c))?
                    .clone();
                st.claimed.push(call.index);
                Some(call)
            })
            .await;
        found.unwrap_or_else(|| panic!("no matching call within {within:?}: {:#?}", self.calls()))
    }

    /// The next successful `method` call.
    pub async fn next(&self, method: &str, within: Duration) -> Call {
        self.call(|c| c.method == method && c.status == 200, within)
            .await
    }

    /// Waits until `count` sockets said hello (opened and greeted).
    pub async fn wait_connected(&self, count: usize, within: Duration) {
        let done = self
            .inner
            .wait_until(within, |st| (st.hellos >= count).then_some(()))
            .await;
        assert!(
            done.is_some(),
            "{count} Socket Mode connection(s) within {within:?}"
        );
    }

    pub fn connections_opened(&self) -> usize {
        self.inner.with(|st| st.connections_opened)
    }

    /// Sends a frame on the newest socket.
    pub fn send(&self, frame: Value) {
        let id = frame["envelope_id"].as_str().map(str::to_owned);
        self.inner.with(|st| {
            if let Some(id) = id {
                st.sent_at.insert(id, Instant::now());
            }
            let (_, socket) = st.sockets.last().expect("a connected socket");
            let _ = socket.send(Some(frame.to_string()));
        });
    }

    /// Sends a frame on the oldest open socket (one Slack said it will close).
    pub fn send_on_oldest(&self, frame: Value) {
        self.inner.with(|st| {
            let (_, socket) = st.sockets.first().expect("a connected socket");
            let _ = socket.send(Some(frame.to_string()));
        });
    }

    /// Closes the oldest open socket, as Slack does after a `disconnect`.
    pub fn close_oldest(&self) {
        self.inner.with(|st| {
            if !st.sockets.is_empty() {
                let (_, socket) = st.sockets.remove(0);
                let _ = socket.send(None);
            }
        });
    }

    /// When the bot acked `envelope_id`, after it was sent.
    pub async fn ack_delay(&self, envelope_id: &str, within: Duration) -> Duration {
        let found = self
            .inner
            .wait_until(within, |st| {
                let sent = *st.sent_at.get(envelope_id)?;
                st.received
                    .iter()
                    .find(|(frame, _)| frame["envelope_id"] == envelope_id)
                    .map(|(_, at)| at.duration_since(sent))
            })
            .await;
        found.unwrap_or_else(|| panic!("no ack for {envelope_id} within {within:?}"))
    }

    /// The next call to `method` answers 429 with `Retry-After: seconds`.
    pub fn rate_limit_next(&self, method: &str, seconds: u64) {
        self.inner
            .with(|st| st.rate_limit.insert(method.to_owned(), seconds));
    }

    /// The next `times` calls to `method` answer HTTP 500.
    pub fn fail_next(&self, method: &str, times: usize) {
        self.inner
            .with(|st| st.failing.insert(method.to_owned(), times));
    }

    /// Deletes a message, as a member or a moderator would.
    pub fn delete_message(&self, channel: &str, ts: &str) {
        self.inner.with(|st| {
            st.messages.remove(&(channel.to_owned(), ts.to_owned()));
        });
    }

    /// The bot is not a member of `channel`: it may not post there.
    pub fn not_member_of(&self, channel: &str) {
        self.inner.with(|st| st.not_member.push(channel.to_owned()));
    }

    /// `user` is a workspace admin (`users.info` says `is_admin`).
    pub fn set_admin(&self, user: &str) {
        self.inner.with(|st| st.admins.push(user.to_owned()));
    }

    pub fn set_group(&self, group: &str, members: &[&str]) {
        let members = members.iter().map(|m| (*m).to_owned()).collect();
        self.inner
            .with(|st| st.group_members.insert(group.to_owned(), members));
    }

    /// An `events_api` envelope around `event`.
    pub fn event(&self, envelope_id: &str, event_id: &str, retry: u64, event: Value) -> Value {
        json!({
            "envelope_id": envelope_id,
            "type": "events_api",
            "accepts_response_payload": false,
            "retry_attempt": retry,
            "retry_reason": if retry > 0 { "timeout" } else { "" },
            "payload": {
                "token": "verification", "team_id": TEAM, "api_app_id": "A0APP0001",
                "type": "event_callback", "event_id": event_id, "event_time": 1_720_000_000,
                "event": event,
            },
        })
    }

    pub fn mention(
        &self,
        envelope_id: &str,
        user: &str,
        channel: &str,
        ts: &str,
        text: &str,
    ) -> Value {
        self.event(
            envelope_id,
            &format!("Ev{envelope_id}"),
            0,
            json!({
                "type": "app_mention", "user": user, "text": format!("<@{BOT_USER}> {text}"),
                "ts": ts, "channel": channel, "event_ts": ts, "team": TEAM,
            }),
        )
    }

    pub fn dm(&self, envelope_id: &str, user: &str, channel: &str, text: &str) -> Value {
        self.event(envelope_id, &format!("Ev{envelope_id}"), 0, json!({
            "type": "message", "channel_type": "im", "user": user, "text": text,
            "ts": "1720000000.000200", "channel": channel, "event_ts": "1720000000.000200", "team": TEAM,
        }))
    }

    pub fn command(
        &self,
        envelope_id: &str,
        name: &str,
        text: &str,
        user: &str,
        channel: &str,
    ) -> Value {
        json!({
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "accepts_response_payload": true,
            "payload": {
                "token": "verification", "team_id": TEAM, "team_domain": "newsroom",
                "channel_id": channel, "channel_name": "news", "user_id": user, "user_name": "member",
                "command": name, "text": text, "api_app_id": "A0APP0001",
                "response_url": format!("http://{}/respond/{envelope_id}", self.inner.addr),
                "trigger_id": "1.2.3",
            },
        })
    }

    pub fn click(
        &self,
        envelope_id: &str,
        action_id: &str,
        user: &str,
        channel: &str,
        message_ts: &str,
        ephemeral: bool,
    ) -> Value {
        let mut payload = json!({
            "type": "block_actions",
            "user": {"id": user, "username": "member", "team_id": TEAM},
            "api_app_id": "A0APP0001",
            "team": {"id": TEAM, "domain": "newsroom"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": "news"},
            "response_url": format!("http://{}/respond/{envelope_id}", self.inner.addr),
            "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": action_id, "action_ts": "1.1"}],
        });
        if !ephemeral {
            payload["message"] =
                json!({"type": "message", "user": BOT_USER, "ts": message_ts, "text": "…"});
        }
        json!({"envelope_id": envelope_id, "type": "interactive", "accepts_response_payload": false, "payload": payload})
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn api(
    AxumState(inner): AxumState<Arc<Inner>>,
    Path(method): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: String,
) -> Response {
    let auth = bearer(&headers);
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let param = |name: &str| {
        query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    inner.with(|st| {
        let limited = st.rate_limit.remove(&method);
        let failing = st.failing.get_mut(&method).is_some_and(|left| {
            let fail = *left > 0;
            *left = left.saturating_sub(1);
            fail
        });
        let token_is = |token: &str| auth.as_deref() == Some(&format!("Bearer {token}"));
        let answer = match method.as_str() {
            _ if limited.is_some() => json!({"ok": false, "error": "ratelimited"}),
            _ if failing => Value::Null,
            "apps.connections.open" if token_is(APP_TOKEN) => {
                st.connections_opened += 1;
                json!({"ok": true, "url": format!("ws://{}/link?ticket={}", inner.addr, st.connections_opened)})
            }
            "apps.connections.open" => json!({"ok": false, "error": "invalid_auth"}),
            _ if !token_is(BOT_TOKEN) => json!({"ok": false, "error": "invalid_auth"}),
            "auth.test" => json!({"ok": true, "url": "https://newsroom.slack.com/", "team": "Newsroom",
                                  "user": "factbot", "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT0001"}),
            "chat.postMessage" => post_message(st, &body),
            "chat.update" => update_message(st, &body),
            "chat.postEphemeral" => json!({"ok": true, "message_ts": "1720000100.999999"}),
            "usergroups.users.list" => {
                let members = st.group_members.get(&param("usergroup")).cloned().unwrap_or_default();
                json!({"ok": true, "users": members})
            }
            "users.info" => {
                let user = param("user");
                json!({"ok": true, "user": {"id": user, "is_admin": st.admins.contains(&user), "is_owner": false}})
            }
            _ => json!({"ok": false, "error": "unknown_method"}),
        };
        st.calls.push(Call {
            index: st.calls.len(),
            method: method.clone(),
            query: query.clone(),
            authorization: auth.clone(),
            body: body.clone(),
            status: match (limited, failing) {
                (Some(_), _) => 429,
                (None, true) => 500,
                (None, false) => 200,
            },
            response: answer.clone(),
            at: Instant::now(),
        });
        if let Some(seconds) = limited {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, answer.to_string()).into_response();
            response.headers_mut().insert("retry-after", seconds.to_string().parse().expect("header"));
            return response;
        }
        if failing {
            return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
        }
        axum::Json(answer).into_response()
    })
}

fn post_message(st: &mut State, body: &Value) -> Value {
    let channel = body["channel"].as_str().unwrap_or_default().to_owned();
    if channel.is_empty() {
        return json!({"ok": false, "error": "channel_not_found"});
    }
    if st.not_member.contains(&channel) {
        return json!({"ok": false, "error": "not_in_channel"});
    }
    st.ts += 1;
    let ts = format!("1720000100.{:06}", st.ts);
    st.channels.push(channel.clone());
    st.messages.insert((channel.clone(), ts.clone()));
    let mut message = body.clone();
    message["user"] = json!(BOT_USER);
    message["ts"] = json!(ts);
    json!({"ok": true, "channel": channel, "ts": ts, "message": message})
}

/// `chat.update`: Slack's documented answer, or its error for a message that cannot be updated.
fn update_message(st: &mut State, body: &Value) -> Value {
    let (Some(channel), Some(ts)) = (body["channel"].as_str(), body["ts"].as_str()) else {
        return json!({"ok": false, "error": "invalid_arguments"});
    };
    if !st.channels.iter().any(|known| known == channel) {
        return json!({"ok": false, "error": "channel_not_found"});
    }
    if !st.messages.contains(&(channel.to_owned(), ts.to_owned())) {
        return json!({"ok": false, "error": "message_not_found"});
    }
    json!({"ok": true, "channel": channel, "ts": ts, "text": body["text"],
          "message": {"type": "message", "user": BOT_USER, "text": body["text"], "blocks": body["blocks"]}})
}

async fn respond(
    AxumState(inner): AxumState<Arc<Inner>>,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    inner.with(|st| {
        let index = st.calls.len();
        st.calls.push(Call {
            index,
            method: "response_url".into(),
            query: Some(id),
            authorization: None,
            body,
            status: 200,
            response: Value::Null,
            at: Instant::now(),
        });
    });
    "ok".into_response()
}

async fn link(AxumState(inner): AxumState<Arc<Inner>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| serve_socket(inner, socket))
}

async fn serve_socket(inner: Arc<Inner>, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = inner.with(|st| {
        st.next_socket += 1;
        st.sockets.push((st.next_socket, tx));
        st.next_socket
    });
    let hello = json!({"type": "hello", "num_connections": 1,
                       "debug_info": {"host": "fake", "approximate_connection_time": 18060},
                       "connection_info": {"app_id": "A0APP0001"}});
    if socket
        .send(WsMessage::Text(hello.to_string()))
        .await
        .is_ok()
    {
        inner.with(|st| st.hellos += 1);
    }
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Some(text)) => if socket.send(WsMessage::Text(text)).await.is_err() { break },
                Some(None) | None => {
                    let _ = socket.send(WsMessage::Close(None)).await;
                    break;
                }
            },
            frame = socket.recv() => match frame {
                Some(Ok(WsMessage::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    inner.with(|st| st.received.push((value, Instant::now())));
                }
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    inner.with(|st| st.sockets.retain(|(socket, _)| *socket != id));
}
