//! A fake Discord (REST API + gateway websocket) on 127.0.0.1 for end-to-end tests.
//!
//! The real serenity 0.12.5 client connects to it, so tests exercise the bot's actual
//! start-up, event handling and HTTP calls without touching the internet.
//!
//! # Pointing the bot at the fake
//!
//! REST is served twice, from one router: over HTTPS as `discord.com` ([`FakeDiscord::api_url`]
//! with [`FakeDiscord::ca_cert`]: the bot keeps Discord's URLs, resolves `discord.com` to the
//! fake and runs serenity's ratelimiter, the production path), and over plain HTTP
//! ([`FakeDiscord::proxy_url`]: what a rate-limiting proxy looks like, the ratelimiter off).
//! The gateway is `ws://` on the plain port.
//!
//! Like Discord, the fake can keep a per-channel bucket for message POSTs
//! ([`FakeConfig::message_bucket`], with Discord's `X-RateLimit-*` headers and 429 bodies),
//! honours `nonce` with `enforce_nonce` (the same nonce again returns the message already
//! made), and notes every call that came back before the `Retry-After` it was given
//! ([`FakeDiscord::early_retries`]).
//!
//! Facts from serenity 0.12.5 that shaped this module (see the crate's `src/`):
//!
//! * `Request::build` rewrites every route by replacing the literal `https://discord.com` with
//!   the proxy string (trailing `/` trimmed), so the fake sees the full `/api/v10/...` path.
//!   The ratelimiter (`Ratelimiter::perform`) calls `build(.., None)`: with the ratelimiter
//!   enabled, the proxy is silently ignored and requests go to the real discord.com.
//! * `ClientBuilder` calls `GET /api/v10/gateway` (not `/gateway/bot`) once and, if that
//!   fails, silently falls back to the real `wss://gateway.discord.gg`: never make that call
//!   fail in a test. `Client::start_autosharded` additionally
//!   calls `GET /gateway/bot`. Nothing else is fetched at start-up (`/users/@me` only with the
//!   `voice` feature). The application id comes from READY's `application.id`.
//! * The shard connects to `{url}?v=10` (no `encoding`, no `compress=zlib-stream`), and sends
//!   `compress: true` in IDENTIFY. It decodes text frames as JSON and binary frames as one
//!   self-contained zlib stream each, so the fake sends text unless
//!   [`FakeConfig::zlib_frames`] is set.
//! * Heartbeats: the first one is sent `heartbeat_interval` after IDENTIFY (no jitter), then
//!   every interval, checked once per runner loop (about every 500 ms). A heartbeat that is not
//!   ACKed by the next interval makes serenity restart the shard (a full re-IDENTIFY).
//! * RESUME is sent right after the websocket opens, before HELLO arrives (the HELLO is then
//!   ignored). Re-IDENTIFY goes through the shard manager's restart, which takes about 5 s.
//! * A dispatch whose `d` does not fit serenity's model becomes `Event::Unknown` and is never
//!   delivered to `EventHandler::message` / `interaction_create`; a frame without `s` is
//!   dropped with only a log line. The payload helpers below fill every field serenity
//!   requires (e.g. `attachment_size_limit`, `entitlements`, `locale`, `channel_id` on
//!   interactions).
//!
//! Every wait in this module is bounded by a caller-supplied timeout; all sockets are on
//! 127.0.0.1.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::fake_tls::Tls;

/// Gateway intent bit for message content; without it Discord blanks guild message content.
const MESSAGE_CONTENT_INTENT: u64 = 1 << 15;
/// Milliseconds between the Unix epoch and the Discord epoch (2015-01-01), used for snowflakes.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
/// How many dispatches are kept for replay on RESUME.
const BACKLOG_LIMIT: usize = 1000;
/// Discord's message content limit in characters.
const CONTENT_LIMIT: usize = 2000;
/// Permissions reported for members/channels in interaction payloads: everything but
/// administrator, as a decimal string like Discord sends.
const MEMBER_PERMISSIONS: &str = "2251799813685239";

/// Settings of a [`FakeDiscord`]. The defaults model a freshly created bot application.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// Id of the bot user (READY `user`, `/users/@me`, author of the bot's messages).
    pub bot_user_id: u64,
    /// Username of the bot user.
    pub bot_username: String,
    /// Application id (READY `application.id`; must appear in command/webhook routes).
    pub application_id: u64,
    /// `heartbeat_interval` sent in HELLO, in milliseconds. Discord sends about 41250; a small
    /// value makes heartbeats observable in a short test.
    pub heartbeat_interval_ms: u64,
    /// Guild ids listed (as unavailable guilds) in READY.
    pub guilds: Vec<u64>,
    /// The raw bot token (without `Bot `). If set, IDENTIFY/RESUME with another token is closed
    /// with 4004 and REST calls whose `Authorization` is not `Bot <token>` answer 401, as
    /// Discord does for a bad token. Beware: a 401 on serenity's start-up `GET /gateway` makes
    /// it fall back to the real `wss://gateway.discord.gg`.
    pub expected_token: Option<String>,
    /// If set, IDENTIFY asking for intents outside this mask is closed with 4014 ("disallowed
    /// intents"), as Discord does for privileged intents not enabled in the portal.
    pub allowed_intents: Option<u64>,
    /// Send frames after IDENTIFY/RESUME as binary zlib messages (what Discord's payload
    /// compression does when IDENTIFY has `compress: true`) instead of text.
    pub zlib_frames: bool,
    /// Interactions must be answered within this time after dispatch, or the callback gets
    /// 404 "Unknown interaction" (Discord's 3 s rule). `None` disables the check.
    pub interaction_ack_deadline: Option<Duration>,
    /// Blank `content`/`embeds`/`attachments`/`components` of guild MESSAGE_CREATE/UPDATE
    /// dispatches when the bot did not IDENTIFY with MESSAGE_CONTENT, unless the bot is
    /// mentioned or authored it (Discord's behaviour since 2022).
    pub emulate_message_content_intent: bool,
    /// Discord's per-channel bucket on creating messages: at most `limit` POSTs to a channel's
    /// `/messages` per `window` (Discord: 5 per 5 s), with the `X-RateLimit-*` headers on
    /// every answer and a 429 past the limit. `None`: no limit and no headers.
    pub message_bucket: Option<Bucket>,
}

/// A fixed-window rate limit, as Discord reports it in `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug)]
pub struct Bucket {
    pub limit: u32,
    pub window: Duration,
}

impl Bucket {
    /// Discord's limit on messages in one channel: 5 per 5 seconds.
    pub const DISCORD_CHANNEL: Self = Self {
        limit: 5,
        window: Duration::from_secs(5),
    };
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            bot_user_id: 1000,
            bot_username: "factbot".to_owned(),
            application_id: 1000,
            heartbeat_interval_ms: 45_000,
            guilds: Vec::new(),
            expected_token: None,
            allowed_intents: None,
            zlib_frames: false,
            interaction_ack_deadline: Some(Duration::from_secs(3)),
            emulate_message_content_intent: true,
            message_bucket: None,
        }
    }
}

/// One REST call the bot made, with the fake's answer.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in [`FakeDiscord::requests`].
    pub index: usize,
    /// HTTP method, e.g. `"POST"`.
    pub method: String,
    /// Path without query, e.g. `"/api/v10/channels/5/messages"`.
    pub path: String,
    /// Raw query string, if any (serenity writes params as `?&key=value`).
    pub query: Option<String>,
    /// JSON body (for multipart uploads: the `payload_json` part); `Null` if none or not JSON
    /// (then the raw text is in a JSON string).
    pub body: Value,
    /// File names of multipart attachments.
    pub files: Vec<String>,
    /// The `Authorization` header (serenity sends `Bot <token>`).
    pub authorization: Option<String>,
    /// Status the fake answered with.
    pub status: u16,
    /// Body the fake answered with (`Null` for 204).
    pub response: Value,
    /// When the fake received the call (for latency measurements).
    pub received_at: Instant,
}

/// A canned failure for the next matching REST call, see [`FakeDiscord::fail_next`].
#[derive(Clone, Debug)]
pub enum Failure {
    /// 429 with `Retry-After`/`X-RateLimit-*` headers and Discord's documented body
    /// `{"message","retry_after","global":false}` (no `code`, as Discord documents it).
    RateLimited {
        /// Seconds to wait, as Discord sends it (float in the body, rounded up in the header).
        retry_after_secs: f64,
        /// Discord's global limit (`X-RateLimit-Global`, `"global": true`) rather than the
        /// route's.
        global: bool,
    },
    /// 500 with `{"message":"500: Internal Server Error","code":0}`, the call not carried out.
    ServerError,
    /// The call is carried out (a message is created), then answered with `status` and
    /// Discord's error body, as when Discord fails after the fact.
    AfterDoing {
        /// HTTP status code, e.g. 502.
        status: u16,
    },
    /// The call is carried out, and its answer never comes (not for five minutes).
    Hang,
    /// Any status and JSON body.
    Status {
        /// HTTP status code.
        status: u16,
        /// Response body.
        body: Value,
    },
}

/// Snapshot of the gateway side, see [`FakeDiscord::gateway_stats`].
#[derive(Clone, Debug, Default)]
pub struct GatewayStats {
    /// Websocket connections accepted so far.
    pub connections: usize,
    /// Connections currently open.
    pub open_connections: usize,
    /// IDENTIFY (op 2) frames received.
    pub identifies: usize,
    /// RESUME (op 6) frames received.
    pub resumes: usize,
    /// RESUMEs that were accepted (answered with RESUMED, not op 9).
    pub resumes_accepted: usize,
    /// Heartbeats (op 1) received.
    pub heartbeats: usize,
    /// A connection currently carries the session (READY or RESUMED was sent on it and it is
    /// still open): dispatches are delivered now rather than buffered for replay.
    pub live: bool,
    /// Last sequence number used.
    pub seq: u64,
    /// Current session id, if the bot ever identified.
    pub session_id: Option<String>,
    /// Close codes of close frames the bot sent (`None` for a close frame without a code).
    pub close_codes_from_bot: Vec<Option<u16>>,
    /// Query strings the bot connected with (serenity: `v=10`).
    pub connect_queries: Vec<Option<String>>,
    /// Intents of the latest IDENTIFY.
    pub intents: Option<u64>,
}

/// Who triggers an interaction, and where. Built with [`Origin::guild`] or [`Origin::dm`].
#[derive(Clone, Debug)]
pub struct Origin {
    /// Channel of the interaction.
    pub channel_id: u64,
    /// Guild, or `None` for a DM with the bot.
    pub guild_id: Option<u64>,
    /// Invoking user.
    pub user_id: u64,
    /// Role ids of the invoking member (guild only).
    pub roles: Vec<u64>,
    /// The member's Discord client language, sent with every interaction.
    pub locale: String,
}

impl Origin {
    /// An interaction in a guild text channel.
    pub fn guild(channel_id: u64, guild_id: u64, user_id: u64) -> Self {
        Self {
            channel_id,
            guild_id: Some(guild_id),
            user_id,
            roles: Vec::new(),
            locale: "en-US".into(),
        }
    }

    /// An interaction in the DM channel between `user_id` and the bot.
    pub fn dm(channel_id: u64, user_id: u64) -> Self {
        Self {
            channel_id,
            guild_id: None,
            user_id,
            roles: Vec::new(),
            locale: "en-US".into(),
        }
    }
}

/// The fake server. Dropping it stops the server and closes gateway connections.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    addr: SocketAddr,
    server: JoinHandle<()>,
    https_addr: SocketAddr,
    https_server: JoinHandle<()>,
    tls: Tls,
}

struct Inner {
    config: FakeConfig,
    ws_url: String,
    state: Mutex<State>,
    /// Bumped on every state change so waits wake up without polling.
    changed: watch::Sender<u64>,
    /// Set to true when the fake is dropped; websocket tasks exit on it.
    shutdown: watch::Sender<bool>,
}

enum Outgoing {
    Json(Value),
    Drop,
    Close(u16, String),
}

/// Predicate on `(method, path)` of a REST call.
type RequestMatcher = Box<dyn Fn(&str, &str) -> bool + Send>;

struct PendingFailure {
    matches: RequestMatcher,
    failure: Failure,
}

struct InteractionRecord {
    kind: u64,
    token: String,
    dispatched: Instant,
    acked: bool,
    channel_id: u64,
    original: Option<Value>,
}

#[derive(Default)]
struct GatewayState {
    next_conn_id: u64,
    open: HashMap<u64, mpsc::UnboundedSender<Outgoing>>,
    live_conn: Option<u64>,
    session_id: Option<String>,
    seq: u64,
    backlog: VecDeque<Value>,
    identifies: Vec<Value>,
    resumes: Vec<Value>,
    resumes_accepted: usize,
    heartbeats: usize,
    received: Vec<Value>,
    sent: Vec<Value>,
    close_codes_from_bot: Vec<Option<u16>>,
    connect_queries: Vec<Option<String>>,
    connections: usize,
    intents: Option<u64>,
    refuse_resume: bool,
    no_heartbeat_ack: bool,
    /// Shard id (IDENTIFY's `shard[0]`) -> its connection and sequence, when the bot runs
    /// shards: several processes each connect their own (see [`FakeDiscord::dispatch_to_shard`]).
    shards: HashMap<u64, ShardSession>,
}

/// One identified shard's connection.
struct ShardSession {
    conn: u64,
    seq: u64,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    claimed: HashSet<usize>,
    failures: Vec<PendingFailure>,
    gw: GatewayState,
    global_commands: Vec<Value>,
    guild_commands: HashMap<u64, Vec<Value>>,
    interactions: HashMap<u64, InteractionRecord>,
    /// Channel id -> guild id (`None` = DM), learned from dispatched payloads.
    channels: HashMap<u64, Option<u64>>,
    /// DM channel id -> the other user, so `GET /channels/{id}` can name the recipient.
    dm_recipients: HashMap<u64, u64>,
    /// Messages the bot created through REST, by id.
    messages: HashMap<u64, Value>,
    last_snowflake: u64,
    session_counter: u64,
    /// Thread id -> parent channel id.
    threads: HashMap<u64, u64>,
    /// Channel id -> its message bucket's window start and calls counted in it.
    buckets: HashMap<u64, (Instant, u32)>,
    /// Nonce -> the message made with it, for `enforce_nonce`.
    nonces: HashMap<String, (u64, Instant)>,
    /// A call's key (its nonce, else method and path) -> when it may come back after a 429.
    retry_not_before: HashMap<String, Instant>,
    /// When Discord's global limit set by a 429 ends.
    global_until: Option<Instant>,
    /// Calls that came back before the wait a 429 asked for.
    early: Vec<String>,
}

impl State {
    /// A fresh snowflake: current time since the Discord epoch in the high bits, so ids
    /// increase and `created_at()` is plausible.
    fn next_id(&mut self) -> u64 {
        let candidate = now_ms().saturating_sub(DISCORD_EPOCH_MS) << 22;
        self.last_snowflake = candidate.max(self.last_snowflake + 1);
        self.last_snowflake
    }
}

impl FakeDiscord {
    /// Starts a fake with [`FakeConfig::default`] on 127.0.0.1 with an ephemeral port.
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts a fake with the given settings on 127.0.0.1 with an ephemeral port.
    pub async fn start_with(config: FakeConfig) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let inner = Arc::new(Inner {
            config,
            ws_url: format!("ws://{addr}/gateway"),
            state: Mutex::new(State::default()),
            changed: watch::channel(0).0,
            shutdown: watch::channel(false).0,
        });
        let app = Router::new()
            .route("/gateway", get(ws_upgrade))
            .fallback(rest)
            .with_state(Arc::clone(&inner));
        let tls = Tls::new();
        let (https_addr, https_server) = tls.serve(app.clone()).await;
        let server = tokio::spawn(async move {
            // An error here only means the listener died; tests will then time out on waits.
            let _ = axum::serve(listener, app).await;
        });
        Self {
            inner,
            addr,
            server,
            https_addr,
            https_server,
            tls,
        }
    }

    /// Where the bot finds Discord's REST API, `https://127.0.0.1:PORT`: give it with
    /// [`Self::ca_cert`] (`FACTBOT_DISCORD_API_URL`, `FACTBOT_DISCORD_CA_CERT`) and the bot
    /// runs exactly as against discord.com.
    pub fn api_url(&self) -> String {
        format!("https://{}", self.https_addr)
    }

    /// The certificate authority (a PEM file) that signed the fake's `discord.com`
    /// certificate.
    pub fn ca_cert(&self) -> PathBuf {
        self.tls.ca_path().to_owned()
    }

    /// The REST API over plain HTTP, `http://127.0.0.1:PORT`, as a rate-limiting proxy
    /// would serve it (the bot's ratelimiter then off).
    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every call that came back before the `Retry-After` of the 429 it got (a call is known
    /// by its nonce, else its method and path), or while the global limit held.
    pub fn early_retries(&self) -> Vec<String> {
        self.inner.lock().early.clone()
    }

    /// Makes `thread` a thread of `parent` in `guild`: `GET /channels/{thread}` and
    /// interactions in it say so.
    pub fn add_thread(&self, thread: u64, parent: u64, guild: u64) {
        let mut st = self.inner.lock();
        st.threads.insert(thread, parent);
        st.channels.insert(thread, Some(guild));
    }

    /// The gateway URL returned by `/gateway`, `/gateway/bot` and READY's `resume_gateway_url`.
    pub fn gateway_url(&self) -> String {
        self.inner.ws_url.clone()
    }

    /// The settings this fake runs with.
    pub fn config(&self) -> &FakeConfig {
        &self.inner.config
    }

    // ----------------------------------------------------------------------------------------
    // REST
    // ----------------------------------------------------------------------------------------

    /// Every REST call received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().requests.clone()
    }

    /// Waits until a REST call matching `pred` that no earlier `wait_for_request` returned has
    /// been recorded, and returns it. Each recorded call is handed out once, so waiting twice
    /// for "a POST to /messages" yields two different calls.
    ///
    /// # Panics
    /// On timeout, listing the calls that were recorded.
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Recorded {
        match self.try_wait_for_request(pred, timeout).await {
            Some(r) => r,
            None => panic!(
                "no matching REST call within {timeout:?}; recorded: {:#?}",
                summarize(&self.requests())
            ),
        }
    }

    /// Like [`Self::wait_for_request`] but returns `None` on timeout.
    pub async fn try_wait_for_request(
        &self,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Option<Recorded> {
        self.inner
            .wait_until(timeout, |st| {
                let found = st
                    .requests
                    .iter()
                    .find(|r| !st.claimed.contains(&r.index) && pred(r))?
                    .clone();
                st.claimed.insert(found.index);
                Some(found)
            })
            .await
    }

    /// Every message the bot created through REST and not deleted since, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut messages: Vec<Value> = self.inner.lock().messages.values().cloned().collect();
        messages.sort_by_key(|message| id_field(message, "id"));
        messages
    }

    /// Waits until the bot has created at least `count` messages; returns them all.
    ///
    /// # Panics
    /// On timeout, saying how many there were.
    pub async fn wait_messages(&self, count: usize, timeout: Duration) -> Vec<Value> {
        let done = self
            .inner
            .wait_until(timeout, |st| (st.messages.len() >= count).then_some(()))
            .await;
        assert!(
            done.is_some(),
            "{} of {count} messages within {timeout:?}",
            self.inner.lock().messages.len()
        );
        self.messages()
    }

    /// Deletes a message, as a member or moderator would: editing it then gets 404, code 10008.
    pub fn delete_message(&self, id: u64) {
        self.inner.state.lock().unwrap().messages.remove(&id);
    }

    /// Makes the next REST call whose path matches `path_pred` fail with `failure`. Failures
    /// are one-shot and checked in the order they were registered. The failed call is
    /// recorded with the status it got.
    ///
    /// Do not fail `/api/v10/gateway` while a client is starting: serenity then silently falls
    /// back to the real `wss://gateway.discord.gg`.
    pub fn fail_next(&self, path_pred: impl Fn(&str) -> bool + Send + 'static, failure: Failure) {
        self.fail_next_where(move |_method, path| path_pred(path), failure);
    }

    /// Like [`Self::fail_next`] with a predicate on `(method, path)`.
    pub fn fail_next_where(
        &self,
        pred: impl Fn(&str, &str) -> bool + Send + 'static,
        failure: Failure,
    ) {
        self.inner.lock().failures.push(PendingFailure {
            matches: Box::new(pred),
            failure,
        });
    }

    /// Commands registered through the REST API (global for `None`).
    pub fn registered_commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        let st = self.inner.lock();
        match guild_id {
            None => st.global_commands.clone(),
            Some(g) => st.guild_commands.get(&g).cloned().unwrap_or_default(),
        }
    }

    // ----------------------------------------------------------------------------------------
    // Gateway
    // ----------------------------------------------------------------------------------------

    /// Waits until the bot has sent IDENTIFY and the READY answer is on a live connection;
    /// returns the first IDENTIFY's `d` (token, intents, shard, properties, compress, ...).
    ///
    /// # Panics
    /// On timeout.
    pub async fn wait_identified(&self, timeout: Duration) -> Value {
        let found = self
            .inner
            .wait_until(timeout, |st| {
                (st.gw.live_conn.is_some() && !st.gw.identifies.is_empty())
                    .then(|| st.gw.identifies[0].clone())
            })
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "bot did not IDENTIFY within {timeout:?}; gateway: {:?}; REST: {:#?}",
                self.gateway_stats(),
                summarize(&self.requests())
            )
        })
    }

    /// Waits until `pred` holds for the gateway statistics and returns them.
    ///
    /// # Panics
    /// On timeout.
    pub async fn wait_gateway(
        &self,
        pred: impl Fn(&GatewayStats) -> bool,
        timeout: Duration,
    ) -> GatewayStats {
        let found = self
            .inner
            .wait_until(timeout, |st| {
                let stats = stats_of(st);
                pred(&stats).then_some(stats)
            })
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "gateway condition not met within {timeout:?}: {:?}",
                self.gateway_stats()
            )
        })
    }

    /// Waits until shards `ids` have each IDENTIFYed on a connection still open (one bot
    /// process per shard range, several processes on one fake).
    ///
    /// # Panics
    /// On timeout.
    pub async fn wait_shards(&self, ids: &[u64], timeout: Duration) {
        let found = self
            .inner
            .wait_until(timeout, |st| {
                ids.iter()
                    .all(|id| st.gw.shards.contains_key(id))
                    .then_some(())
            })
            .await;
        if found.is_none() {
            let mut identified: Vec<u64> = self.inner.lock().gw.shards.keys().copied().collect();
            identified.sort_unstable();
            panic!(
                "shards {ids:?} not all identified within {timeout:?}; identified: {identified:?}"
            );
        }
    }

    /// Sends a dispatch to the connection of shard `shard` with that shard's next sequence
    /// number, as Discord sends a guild's events only to the shard that owns the guild.
    ///
    /// # Panics
    /// If the shard has not identified (call [`Self::wait_shards`] first).
    pub async fn dispatch_to_shard(&self, shard: u64, event: &str, data: Value) -> u64 {
        let mut data = data;
        let mut st = self.inner.lock();
        self.learn_from_dispatch(&mut st, event, &mut data);
        let gw = &mut st.gw;
        let session = gw
            .shards
            .get_mut(&shard)
            .unwrap_or_else(|| panic!("shard {shard} has not identified"));
        session.seq += 1;
        let frame = json!({"op": 0, "s": session.seq, "t": event, "d": data});
        let (conn, seq) = (session.conn, session.seq);
        gw.sent.push(frame.clone());
        if let Some(tx) = gw.open.get(&conn) {
            let _ = tx.send(Outgoing::Json(frame));
        }
        drop(st);
        self.inner.bump();
        seq
    }

    /// Sends a dispatch (op 0) with the next sequence number and returns that number.
    ///
    /// If no connection carries the session right now (e.g. after [`Self::drop_connection`]),
    /// the event is buffered and replayed when the bot RESUMEs, as Discord does; a bot that
    /// re-IDENTIFYs instead never sees it. Dispatching before the first IDENTIFY is pointless
    /// (the buffer is cleared by READY); call [`Self::wait_identified`] first.
    ///
    /// INTERACTION_CREATE payloads are remembered so the callback route can check the token,
    /// the 3-second deadline and double acknowledgement.
    pub async fn dispatch(&self, event: &str, data: Value) -> u64 {
        let mut data = data;
        let mut st = self.inner.lock();
        self.learn_from_dispatch(&mut st, event, &mut data);
        let seq = send_dispatch(&mut st, event, data);
        drop(st);
        self.inner.bump();
        seq
    }

    /// Closes the live gateway connection without a close frame (TCP just ends), as when
    /// Discord or the network drops it. serenity then RESUMEs (it has a session id).
    /// Returns once the connection is gone; `false` if there was none.
    pub async fn drop_connection(&self) -> bool {
        self.end_connection(Outgoing::Drop).await
    }

    /// Sends a close frame with `code` on the live connection and waits (bounded) until it
    /// is closed. What serenity 0.12.5 does (`Shard::handle_gateway_closed`): 4004, 4013 and
    /// 4014 end `Client::start` with an error; 4006/4009 drop the session, so it re-IDENTIFYs
    /// (about 5 s later); 4003/4010/4011 are only logged and the shard idles until its next
    /// heartbeat fails; every other code (including 4007, which zeroes its seq) makes it RESUME.
    pub async fn close_connection(&self, code: u16, reason: &str) -> bool {
        self.end_connection(Outgoing::Close(code, reason.to_owned()))
            .await
    }

    /// Sends op 7 RECONNECT: the bot should reconnect and RESUME.
    pub async fn request_reconnect(&self) -> bool {
        self.send_raw(json!({"op": 7, "d": null, "s": null, "t": null}))
    }

    /// Sends op 9 INVALID SESSION with the given `resumable` flag.
    pub async fn invalidate_session(&self, resumable: bool) -> bool {
        self.send_raw(json!({"op": 9, "d": resumable, "s": null, "t": null}))
    }

    /// Sends op 1: asks the bot to heartbeat immediately.
    pub async fn request_heartbeat(&self) -> bool {
        self.send_raw(json!({"op": 1, "d": null, "s": null, "t": null}))
    }

    /// When `false`, RESUME is answered with op 9 (`d: false`), forcing a fresh IDENTIFY.
    pub fn set_resumable(&self, resumable: bool) {
        self.inner.lock().gw.refuse_resume = !resumable;
    }

    /// When `false`, heartbeats are not ACKed ("zombie" connection).
    pub fn set_ack_heartbeats(&self, ack: bool) {
        self.inner.lock().gw.no_heartbeat_ack = !ack;
    }

    /// Number of IDENTIFY frames received.
    pub fn identifies(&self) -> usize {
        self.inner.lock().gw.identifies.len()
    }

    /// Number of RESUME frames received.
    pub fn resumes(&self) -> usize {
        self.inner.lock().gw.resumes.len()
    }

    /// Number of heartbeats received.
    pub fn heartbeats(&self) -> usize {
        self.inner.lock().gw.heartbeats
    }

    /// IDENTIFY `d` payloads, in order.
    pub fn identify_payloads(&self) -> Vec<Value> {
        self.inner.lock().gw.identifies.clone()
    }

    /// RESUME `d` payloads, in order.
    pub fn resume_payloads(&self) -> Vec<Value> {
        self.inner.lock().gw.resumes.clone()
    }

    /// Every frame the bot sent on any connection (parsed JSON), in order.
    pub fn received_frames(&self) -> Vec<Value> {
        self.inner.lock().gw.received.clone()
    }

    /// Every frame the fake sent (before compression), in order.
    pub fn sent_frames(&self) -> Vec<Value> {
        self.inner.lock().gw.sent.clone()
    }

    /// Snapshot of gateway counters.
    pub fn gateway_stats(&self) -> GatewayStats {
        stats_of(&self.inner.lock())
    }

    // ----------------------------------------------------------------------------------------
    // Payload builders
    // ----------------------------------------------------------------------------------------

    /// A fresh, increasing snowflake id.
    pub fn next_id(&self) -> u64 {
        self.inner.lock().next_id()
    }

    /// The bot's own user object, as in READY and `/users/@me`.
    pub fn bot_user(&self) -> Value {
        self.inner.bot_user()
    }

    /// A user object for `id` (username `user<id>`).
    pub fn user(&self, id: u64, bot: bool) -> Value {
        user_json(id, &format!("user{id}"), bot)
    }

    /// A MESSAGE_CREATE `d` as Discord sends it. Guild messages carry `guild_id` and `member`
    /// (the author's partial member); each mentioned user carries a partial `member` too.
    /// `content` is used verbatim: write `<@1000>` yourself to mention the bot.
    pub fn message_create(
        &self,
        channel_id: u64,
        guild_id: Option<u64>,
        author_id: u64,
        bot: bool,
        content: &str,
        mentions: &[u64],
    ) -> Value {
        let id = self.next_id();
        let bot_id = self.inner.config.bot_user_id;
        let mention_objs: Vec<Value> = mentions
            .iter()
            .map(|&uid| {
                let mut u = if uid == bot_id {
                    self.bot_user()
                } else {
                    self.user(uid, false)
                };
                if guild_id.is_some() {
                    u["member"] = partial_member(&[]);
                }
                u
            })
            .collect();
        let mut msg = json!({
            "id": id.to_string(),
            "channel_id": channel_id.to_string(),
            "author": self.user(author_id, bot),
            "content": content,
            "timestamp": rfc3339(snowflake_ms(id)),
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": mention_objs,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": false,
            "type": 0,
            "flags": 0,
            "components": [],
            "nonce": id.to_string(),
            "channel_type": if guild_id.is_some() { 0 } else { 1 },
        });
        if let Some(g) = guild_id {
            msg["guild_id"] = json!(g.to_string());
            msg["member"] = partial_member(&[]);
        }
        msg
    }

    /// An INTERACTION_CREATE `d` for a chat-input command (type 2). `options` is Discord's
    /// option array, e.g. `json!([{"name":"topic","type":3,"value":"budget"}])`. The command
    /// id is taken from a registered command of that name if there is one.
    pub fn interaction_application_command(
        &self,
        origin: &Origin,
        name: &str,
        options: Value,
    ) -> Value {
        let data = json!({
            "id": self.command_id(name, origin.guild_id).to_string(),
            "name": name,
            "type": 1,
            "options": options,
        });
        self.interaction(2, origin, data, None)
    }

    /// An INTERACTION_CREATE `d` for autocomplete (type 4): `options` must contain one option
    /// with `"focused": true`, e.g. `json!([{"name":"topic","type":3,"value":"bud","focused":true}])`.
    pub fn interaction_autocomplete(&self, origin: &Origin, name: &str, options: Value) -> Value {
        let data = json!({
            "id": self.command_id(name, origin.guild_id).to_string(),
            "name": name,
            "type": 1,
            "options": options,
        });
        self.interaction(4, origin, data, None)
    }

    /// An INTERACTION_CREATE `d` for a message component (type 3). `component_type` is 2 for a
    /// button (then `values` is ignored) or 3 for a string select. `message` is the message that
    /// carries the component; `None` synthesizes a bot message with a matching button.
    pub fn interaction_component(
        &self,
        origin: &Origin,
        custom_id: &str,
        component_type: u8,
        values: &[&str],
        message: Option<Value>,
    ) -> Value {
        let mut data = json!({"custom_id": custom_id, "component_type": component_type});
        if component_type != 2 {
            data["values"] = json!(values);
        }
        let message = message.unwrap_or_else(|| {
            let id = self.next_id();
            let mut m = json!({
                "id": id.to_string(),
                "channel_id": origin.channel_id.to_string(),
                "author": self.bot_user(),
                "content": "",
                "timestamp": rfc3339(snowflake_ms(id)),
                "edited_timestamp": null,
                "tts": false,
                "mention_everyone": false,
                "mentions": [],
                "mention_roles": [],
                "attachments": [],
                "embeds": [],
                "pinned": false,
                "type": 0,
                "flags": 0,
                "components": [{
                    "type": 1,
                    "components": [{"type": 2, "style": 1, "label": custom_id, "custom_id": custom_id}]
                }],
            });
            if component_type == 3 {
                m["components"][0]["components"][0] = json!({
                    "type": 3,
                    "custom_id": custom_id,
                    "options": values.iter().map(|v| json!({"label": v, "value": v})).collect::<Vec<_>>(),
                });
            }
            m
        });
        self.interaction(3, origin, data, Some(message))
    }

    // ----------------------------------------------------------------------------------------
    // internals
    // ----------------------------------------------------------------------------------------

    fn command_id(&self, name: &str, guild_id: Option<u64>) -> u64 {
        let registered = {
            let st = self.inner.lock();
            let guild = guild_id.and_then(|g| st.guild_commands.get(&g));
            st.global_commands
                .iter()
                .chain(guild.into_iter().flatten())
                .find(|c| c["name"] == name)
                .and_then(|c| c["id"].as_str()?.parse().ok())
        };
        registered.unwrap_or_else(|| self.next_id())
    }

    fn interaction(
        &self,
        kind: u64,
        origin: &Origin,
        data: Value,
        message: Option<Value>,
    ) -> Value {
        let id = self.next_id();
        let app = self.inner.config.application_id;
        let user = self.user(origin.user_id, false);
        let mut v = json!({
            "id": id.to_string(),
            "application_id": app.to_string(),
            "type": kind,
            "data": data,
            "channel_id": origin.channel_id.to_string(),
            "token": format!("itoken-{id}"),
            "version": 1,
            "app_permissions": MEMBER_PERMISSIONS,
            "locale": origin.locale,
            "entitlements": [],
            "attachment_size_limit": 10_485_760,
        });
        match origin.guild_id {
            Some(g) => {
                let roles: Vec<String> = origin.roles.iter().map(u64::to_string).collect();
                v["guild_id"] = json!(g.to_string());
                v["guild_locale"] = json!("en-US");
                v["guild"] = json!({"id": g.to_string(), "locale": "en-US", "features": []});
                v["member"] = json!({
                    "user": user,
                    "roles": roles,
                    "permissions": MEMBER_PERMISSIONS,
                    "joined_at": rfc3339(now_ms() - 86_400_000),
                    "premium_since": null,
                    "nick": null,
                    "avatar": null,
                    "deaf": false,
                    "mute": false,
                    "pending": false,
                    "flags": 0,
                    "communication_disabled_until": null,
                });
                let parent = self.inner.lock().threads.get(&origin.channel_id).copied();
                v["channel"] = json!({
                    "id": origin.channel_id.to_string(),
                    "type": if parent.is_some() { 11 } else { 0 },
                    "name": "general",
                    "guild_id": g.to_string(),
                    "permissions": MEMBER_PERMISSIONS,
                    "nsfw": false,
                    "parent_id": parent.map(|p| p.to_string()),
                    "position": 0,
                    "flags": 0,
                    "last_message_id": null,
                    "rate_limit_per_user": 0,
                    "topic": null,
                });
                v["authorizing_integration_owners"] = json!({"0": g.to_string()});
                v["context"] = json!(0);
            }
            None => {
                v["user"] = user.clone();
                v["channel"] = json!({
                    "id": origin.channel_id.to_string(),
                    "type": 1,
                    "last_message_id": null,
                    "flags": 0,
                    "recipients": [user],
                });
                v["authorizing_integration_owners"] = json!({"0": "0"});
                v["context"] = json!(1);
            }
        }
        if let Some(m) = message {
            v["message"] = m;
        }
        v
    }

    fn learn_from_dispatch(&self, st: &mut State, event: &str, data: &mut Value) {
        let channel = id_field(data, "channel_id");
        let guild = id_field(data, "guild_id");
        if let Some(c) = channel {
            st.channels.insert(c, guild);
            let other = id_field(&data["author"], "id").or_else(|| id_field(&data["user"], "id"));
            if let (None, Some(user)) = (guild, other) {
                if user != self.inner.config.bot_user_id {
                    st.dm_recipients.insert(c, user);
                }
            }
        }
        match event {
            "INTERACTION_CREATE" => {
                if let (Some(id), Some(token)) = (id_field(data, "id"), data["token"].as_str()) {
                    st.interactions.insert(
                        id,
                        InteractionRecord {
                            kind: data["type"].as_u64().unwrap_or(0),
                            token: token.to_owned(),
                            dispatched: Instant::now(),
                            acked: false,
                            channel_id: channel.unwrap_or(0),
                            original: None,
                        },
                    );
                }
            }
            "MESSAGE_CREATE" | "MESSAGE_UPDATE" => {
                let cfg = &self.inner.config;
                let bot = cfg.bot_user_id.to_string();
                let has_intent = st
                    .gw
                    .intents
                    .is_some_and(|i| i & MESSAGE_CONTENT_INTENT != 0);
                let mentioned = data["mentions"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|u| u["id"] == bot.as_str()));
                let own = data["author"]["id"] == bot.as_str();
                if cfg.emulate_message_content_intent
                    && guild.is_some()
                    && !has_intent
                    && !mentioned
                    && !own
                {
                    data["content"] = json!("");
                    data["embeds"] = json!([]);
                    data["attachments"] = json!([]);
                    data["components"] = json!([]);
                }
            }
            _ => {}
        }
    }

    /// Sends `frame` as it is on the live connection (no sequence number added): for ops
    /// other than dispatches, and for frames Discord would never send.
    pub fn send_raw(&self, frame: Value) -> bool {
        let mut st = self.inner.lock();
        let Some(tx) = st.gw.live_conn.and_then(|c| st.gw.open.get(&c)).cloned() else {
            return false;
        };
        st.gw.sent.push(frame.clone());
        tx.send(Outgoing::Json(frame)).is_ok()
    }

    async fn end_connection(&self, how: Outgoing) -> bool {
        let conn = {
            let st = self.inner.lock();
            st.gw
                .live_conn
                .or_else(|| st.gw.open.keys().max().copied())
                .and_then(|c| Some((c, st.gw.open.get(&c)?.clone())))
        };
        let Some((conn_id, tx)) = conn else {
            return false;
        };
        if tx.send(how).is_err() {
            return false;
        }
        self.inner
            .wait_until(Duration::from_secs(5), |st| {
                (!st.gw.open.contains_key(&conn_id)).then_some(())
            })
            .await
            .is_some()
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.inner.shutdown.send_replace(true);
        self.server.abort();
        self.https_server.abort();
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock (a failing assertion in a predicate) must not
        // cascade into every later call.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Re-evaluates `check` on every state change until it yields a value or `timeout` passes.
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut rx = self.changed.subscribe();
        loop {
            // Mark the current version seen *before* checking, so a change made between the
            // check and `changed()` still wakes us.
            rx.borrow_and_update();
            if let Some(v) = check(&mut self.lock()) {
                return Some(v);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return None,
            }
        }
    }

    fn bot_user(&self) -> Value {
        user_json(self.config.bot_user_id, &self.config.bot_username, true)
    }
}

fn stats_of(st: &State) -> GatewayStats {
    let gw = &st.gw;
    GatewayStats {
        connections: gw.connections,
        open_connections: gw.open.len(),
        identifies: gw.identifies.len(),
        resumes: gw.resumes.len(),
        resumes_accepted: gw.resumes_accepted,
        heartbeats: gw.heartbeats,
        live: gw.live_conn.is_some(),
        seq: gw.seq,
        session_id: gw.session_id.clone(),
        close_codes_from_bot: gw.close_codes_from_bot.clone(),
        connect_queries: gw.connect_queries.clone(),
        intents: gw.intents,
    }
}

/// Assigns the next sequence number, keeps the frame for RESUME replay, and sends it if a
/// connection carries the session.
fn send_dispatch(st: &mut State, event: &str, data: Value) -> u64 {
    let gw = &mut st.gw;
    gw.seq += 1;
    let frame = json!({"op": 0, "s": gw.seq, "t": event, "d": data});
    gw.backlog.push_back(frame.clone());
    if gw.backlog.len() > BACKLOG_LIMIT {
        gw.backlog.pop_front();
    }
    gw.sent.push(frame.clone());
    if let Some(tx) = gw.live_conn.and_then(|c| gw.open.get(&c)) {
        let _ = tx.send(Outgoing::Json(frame));
    }
    gw.seq
}

// ============================================================================================
// Gateway websocket
// ============================================================================================

async fn ws_upgrade(
    AxumState(inner): AxumState<Arc<Inner>>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| run_connection(inner, socket, query))
}

async fn run_connection(inner: Arc<Inner>, mut socket: WebSocket, query: Option<String>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn_id = {
        let mut st = inner.lock();
        let gw = &mut st.gw;
        gw.next_conn_id += 1;
        gw.connections += 1;
        gw.connect_queries.push(query);
        gw.open.insert(gw.next_conn_id, tx.clone());
        let hello = json!({
            "op": 10,
            "d": {"heartbeat_interval": inner.config.heartbeat_interval_ms, "_trace": ["[\"fake-gateway\"]"]},
            "s": null,
            "t": null,
        });
        gw.sent.push(hello.clone());
        let _ = tx.send(Outgoing::Json(hello));
        gw.next_conn_id
    };
    inner.bump();

    let mut shutdown = inner.shutdown.subscribe();
    let mut compress = false;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Text(text))) => {
                    handle_client_frame(&inner, conn_id, &tx, &text, &mut compress);
                }
                Some(Ok(WsMessage::Binary(bytes))) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    handle_client_frame(&inner, conn_id, &tx, &text, &mut compress);
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    inner.lock().gw.close_codes_from_bot.push(frame.map(|f| f.code));
                    inner.bump();
                    // Keep reading: tungstenite flushes its queued close reply on the next
                    // read and then reports the end. serenity's shutdown waits for that reply.
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = rx.recv() => match out {
                Some(Outgoing::Json(v)) => {
                    let msg = if compress {
                        WsMessage::Binary(zlib_stored(v.to_string().as_bytes()))
                    } else {
                        WsMessage::Text(v.to_string())
                    };
                    if socket.send(msg).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close(code, reason)) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    if socket.send(WsMessage::Close(Some(frame))).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Drop) | None => break,
            },
            _ = shutdown.changed() => break,
        }
    }
    drop(socket);
    {
        let mut st = inner.lock();
        st.gw.open.remove(&conn_id);
        st.gw.shards.retain(|_, shard| shard.conn != conn_id);
        if st.gw.live_conn == Some(conn_id) {
            st.gw.live_conn = None;
        }
    }
    inner.bump();
}

fn handle_client_frame(
    inner: &Inner,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<Outgoing>,
    text: &str,
    compress: &mut bool,
) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        // Discord closes with 4002 "decode error" on invalid JSON.
        let _ = tx.send(Outgoing::Close(
            4002,
            "Error while decoding payload.".into(),
        ));
        return;
    };
    let cfg = &inner.config;
    let mut st = inner.lock();
    st.gw.received.push(frame.clone());
    let d = frame["d"].clone();
    // serenity puts its HTTP token, "Bot <token>", into IDENTIFY/RESUME; Discord accepts
    // both forms.
    let token_ok = |t: &Value| {
        cfg.expected_token.as_deref().is_none_or(|want| {
            let got = t.as_str().unwrap_or_default();
            got == want || got.strip_prefix("Bot ") == Some(want)
        })
    };
    match frame["op"].as_u64() {
        Some(1) => {
            st.gw.heartbeats += 1;
            if !st.gw.no_heartbeat_ack {
                let ack = json!({"op": 11, "d": null, "s": null, "t": null});
                st.gw.sent.push(ack.clone());
                let _ = tx.send(Outgoing::Json(ack));
            }
        }
        Some(2) => {
            st.gw.identifies.push(d.clone());
            let intents = d["intents"].as_u64().unwrap_or(0);
            if !token_ok(&d["token"]) {
                let _ = tx.send(Outgoing::Close(4004, "Authentication failed.".into()));
            } else if cfg
                .allowed_intents
                .is_some_and(|allowed| intents & !allowed != 0)
            {
                let _ = tx.send(Outgoing::Close(4014, "Disallowed intent(s).".into()));
            } else {
                *compress = cfg.zlib_frames && d["compress"] == true;
                st.session_counter += 1;
                let session_id = format!("{:016x}{:016x}", now_ms(), st.session_counter);
                let gw = &mut st.gw;
                gw.intents = Some(intents);
                gw.session_id = Some(session_id.clone());
                gw.seq = 0;
                gw.backlog.clear();
                gw.live_conn = Some(conn_id);
                let guilds: Vec<Value> = cfg
                    .guilds
                    .iter()
                    .map(|g| json!({"id": g.to_string(), "unavailable": true}))
                    .collect();
                let mut ready = json!({
                    "v": 10,
                    "user": inner.bot_user(),
                    "guilds": guilds,
                    "session_id": session_id,
                    "resume_gateway_url": inner.ws_url,
                    "session_type": "normal",
                    "application": {"id": cfg.application_id.to_string(), "flags": 0},
                    "private_channels": [],
                    "presences": [],
                    "relationships": [],
                    "guild_join_requests": [],
                    "geo_ordered_rtc_regions": ["fake"],
                    "user_settings": {},
                    "auth": {},
                    "_trace": ["[\"fake-gateway\"]"],
                });
                if d["shard"].is_array() {
                    ready["shard"] = d["shard"].clone();
                }
                send_dispatch(&mut st, "READY", ready);
                if let Some(shard) = d["shard"][0].as_u64() {
                    let seq = st.gw.seq;
                    st.gw
                        .shards
                        .insert(shard, ShardSession { conn: conn_id, seq });
                }
            }
        }
        Some(6) => {
            st.gw.resumes.push(d.clone());
            let same_session = d["session_id"].as_str().is_some()
                && d["session_id"].as_str() == st.gw.session_id.as_deref();
            let their_seq = d["seq"].as_u64().unwrap_or(0);
            if !token_ok(&d["token"]) {
                let _ = tx.send(Outgoing::Close(4004, "Authentication failed.".into()));
            } else if st.gw.refuse_resume || !same_session || their_seq > st.gw.seq {
                let invalid = json!({"op": 9, "d": false, "s": null, "t": null});
                st.gw.sent.push(invalid.clone());
                let _ = tx.send(Outgoing::Json(invalid));
            } else {
                *compress = cfg.zlib_frames;
                st.gw.resumes_accepted += 1;
                st.gw.live_conn = Some(conn_id);
                let missed: Vec<Value> = st
                    .gw
                    .backlog
                    .iter()
                    .filter(|f| f["s"].as_u64().is_some_and(|s| s > their_seq))
                    .cloned()
                    .collect();
                for f in missed {
                    let _ = tx.send(Outgoing::Json(f));
                }
                send_dispatch(
                    &mut st,
                    "RESUMED",
                    json!({"_trace": ["[\"fake-gateway\"]"]}),
                );
            }
        }
        _ => {}
    }
    drop(st);
    inner.bump();
}

// ============================================================================================
// REST
// ============================================================================================

/// What a route answers: status and JSON body (`None` = empty body).
type Answer = (StatusCode, Option<Value>);

async fn rest(
    AxumState(inner): AxumState<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (status, response, extra_headers, hang) =
        answer_call(&inner, method, &uri, &headers, &body);
    if hang {
        // Longer than any client waits; the test's runtime ends the task.
        tokio::time::sleep(Duration::from_secs(300)).await;
    }
    let mut resp = match response {
        Some(v) => (status, axum::Json(v)).into_response(),
        None => status.into_response(),
    };
    for (name, value) in extra_headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

/// Answers one REST call and records it: the status, body and headers to send, and whether
/// to hold the answer back ([`Failure::Hang`]).
fn answer_call(
    inner: &Inner,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> (StatusCode, Option<Value>, Headers, bool) {
    let received_at = Instant::now();
    let path = uri.path().to_owned();
    let (body_json, files) = parse_body(headers, body);
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut extra_headers = Headers::new();

    let mut st = inner.lock();
    note_early(&mut st, &method, &path, &body_json, received_at);
    let failure = st
        .failures
        .iter()
        .position(|f| (f.matches)(method.as_str(), &path))
        .map(|i| st.failures.remove(i).failure);
    let auth_ok = inner
        .config
        .expected_token
        .as_deref()
        .is_none_or(|t| authorization.as_deref() == Some(&format!("Bot {t}")));
    let bucket = message_channel(&method, &path).and_then(|channel| {
        let bucket = inner.config.message_bucket?;
        Some(take_from_bucket(&mut st, channel, bucket, received_at))
    });
    let mut hang = false;
    let (status, response) = match failure {
        Some(Failure::AfterDoing { status }) => {
            let _ = route(inner, &mut st, &method, &path, &body_json);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            error(
                status,
                0,
                &format!(
                    "{}: {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                ),
            )
        }
        Some(Failure::Hang) => {
            hang = true;
            route(inner, &mut st, &method, &path, &body_json)
        }
        Some(failure) => failure_answer(&failure, &mut extra_headers),
        None if !auth_ok => error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized"),
        None => match &bucket {
            Some(Err(full)) => limited(full.wait, false, &mut extra_headers),
            _ => route(inner, &mut st, &method, &path, &body_json),
        },
    };
    if let Some(Ok(headers) | Err(BucketFull { headers, .. })) = bucket {
        extra_headers.extend(headers);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        note_limited(&mut st, &method, &path, &body_json, &response, received_at);
    }
    let index = st.requests.len();
    st.requests.push(Recorded {
        index,
        method: method.to_string(),
        path,
        query: uri.query().map(str::to_owned),
        body: body_json,
        files,
        authorization,
        status: status.as_u16(),
        response: response.clone().unwrap_or(Value::Null),
        received_at,
    });
    drop(st);
    inner.bump();
    (status, response, extra_headers, hang)
}

/// Headers to add to an answer.
type Headers = Vec<(&'static str, String)>;

/// A 429 as Discord sends it: `Retry-After` in whole seconds rounded up, the exact wait in
/// the body's `retry_after`, and the scope.
fn limited(secs: f64, global: bool, headers: &mut Headers) -> Answer {
    headers.push(("retry-after", format!("{}", secs.ceil() as u64)));
    if global {
        headers.push(("x-ratelimit-global", "true".into()));
        headers.push(("x-ratelimit-scope", "global".into()));
    } else {
        headers.push(("x-ratelimit-scope", "user".into()));
    }
    (
        StatusCode::TOO_MANY_REQUESTS,
        Some(json!({
            "message": "You are being rate limited.",
            "retry_after": (secs * 1000.0).round() / 1000.0,
            "global": global,
        })),
    )
}

/// The channel of a message POST (what Discord's per-channel message bucket counts).
fn message_channel(method: &Method, path: &str) -> Option<u64> {
    let rest = path.strip_prefix("/api/v10/channels/")?;
    let channel = rest.strip_suffix("/messages")?;
    (method == Method::POST).then(|| channel.parse().ok())?
}

/// A bucket used up: seconds until it resets, and the headers saying so.
struct BucketFull {
    wait: f64,
    headers: Headers,
}

/// Counts a call against `channel`'s bucket: the headers Discord sends with the answer, or
/// how long to wait when the bucket is used up.
fn take_from_bucket(
    st: &mut State,
    channel: u64,
    bucket: Bucket,
    now: Instant,
) -> Result<Headers, BucketFull> {
    let (start, used) = st.buckets.entry(channel).or_insert((now, 0));
    if now.duration_since(*start) >= bucket.window {
        (*start, *used) = (now, 0);
    }
    let reset_after = bucket
        .window
        .saturating_sub(now.duration_since(*start))
        .as_secs_f64();
    let full = *used >= bucket.limit;
    if !full {
        *used += 1;
    }
    let reset_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        + reset_after;
    let headers = vec![
        ("x-ratelimit-limit", bucket.limit.to_string()),
        ("x-ratelimit-remaining", (bucket.limit - *used).to_string()),
        ("x-ratelimit-reset", format!("{reset_at:.3}")),
        ("x-ratelimit-reset-after", format!("{reset_after:.3}")),
        ("x-ratelimit-bucket", format!("messages-{channel}")),
    ];
    if full {
        Err(BucketFull {
            wait: reset_after,
            headers,
        })
    } else {
        Ok(headers)
    }
}

/// What a call is known by across retries: its nonce, else its method and path.
fn call_key(method: &Method, path: &str, body: &Value) -> String {
    match body["nonce"].as_str() {
        Some(nonce) => format!("nonce {nonce}"),
        None => format!("{method} {path}"),
    }
}

/// Remembers when a call that got a 429 may come back (and, for a global one, every call).
fn note_limited(
    st: &mut State,
    method: &Method,
    path: &str,
    body: &Value,
    response: &Option<Value>,
    now: Instant,
) {
    let Some(response) = response else { return };
    let wait = Duration::from_secs_f64(response["retry_after"].as_f64().unwrap_or(0.0));
    if response["global"] == json!(true) {
        st.global_until = Some(now + wait);
    }
    st.retry_not_before
        .insert(call_key(method, path, body), now + wait);
}

/// Notes a call that came back before its 429's wait ended, or during a global limit.
fn note_early(st: &mut State, method: &Method, path: &str, body: &Value, now: Instant) {
    let key = call_key(method, path, body);
    if let Some(not_before) = st.retry_not_before.remove(&key) {
        if now < not_before {
            let early = not_before - now;
            st.early.push(format!("{key}: {early:?} early"));
        }
    }
    if let Some(until) = st.global_until.filter(|until| now < *until) {
        st.early.push(format!(
            "{key}: during the global limit, {:?} early",
            until - now
        ));
    }
}

fn failure_answer(failure: &Failure, headers: &mut Headers) -> Answer {
    match failure {
        Failure::RateLimited {
            retry_after_secs,
            global,
        } => {
            if !global {
                headers.push(("x-ratelimit-limit", "5".into()));
                headers.push(("x-ratelimit-remaining", "0".into()));
                headers.push(("x-ratelimit-reset-after", format!("{retry_after_secs:.3}")));
                headers.push(("x-ratelimit-bucket", "fakebucket".into()));
            }
            limited(*retry_after_secs, *global, headers)
        }
        Failure::AfterDoing { .. } | Failure::Hang => unreachable!("carried out in `rest`"),
        Failure::ServerError => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            0,
            "500: Internal Server Error",
        ),
        Failure::Status { status, body } => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Some(body.clone()),
        ),
    }
}

/// Discord's JSON error shape `{"message", "code"}`, which serenity decodes into
/// `DiscordJsonError`.
fn error(status: StatusCode, code: u64, message: &str) -> Answer {
    (status, Some(json!({"message": message, "code": code})))
}

fn not_found() -> Answer {
    error(StatusCode::NOT_FOUND, 0, "404: Not Found")
}

fn ok(v: Value) -> Answer {
    (StatusCode::OK, Some(v))
}

fn no_content() -> Answer {
    (StatusCode::NO_CONTENT, None)
}

fn route(inner: &Inner, st: &mut State, method: &Method, path: &str, body: &Value) -> Answer {
    let cfg = &inner.config;
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return not_found();
    };
    let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let app = cfg.application_id.to_string();
    let is_app = |s: &str| s == app || s == "@me";
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": inner.ws_url})),
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": inner.ws_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        })),
        ("GET", ["users", "@me"]) => {
            let mut u = inner.bot_user();
            u["mfa_enabled"] = json!(false);
            u["locale"] = json!("en-US");
            u["verified"] = json!(true);
            u["email"] = Value::Null;
            u["premium_type"] = json!(0);
            u["bio"] = json!("");
            ok(u)
        }
        ("GET", ["users", id]) => match id.parse::<u64>() {
            Ok(uid) if uid == cfg.bot_user_id => ok(inner.bot_user()),
            Ok(uid) => ok(user_json(uid, &format!("user{uid}"), false)),
            Err(_) => error(StatusCode::NOT_FOUND, 10013, "Unknown User"),
        },
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = id_field(body, "recipient_id").unwrap_or(0);
            let channel = st.next_id();
            st.channels.insert(channel, None);
            st.dm_recipients.insert(channel, recipient);
            ok(json!({
                "id": channel.to_string(),
                "type": 1,
                "last_message_id": null,
                "flags": 0,
                "recipients": [user_json(recipient, &format!("user{recipient}"), false)],
            }))
        }
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            ok(json!({
                "id": app,
                "name": cfg.bot_username,
                "icon": null,
                "description": "",
                "summary": "",
                "type": null,
                "bot_public": false,
                "bot_require_code_grant": false,
                "verify_key": "00".repeat(32),
                "flags": 0,
                "owner": user_json(1, "owner", false),
                "team": null,
                "bot": inner.bot_user(),
                "rpc_origins": [],
                "redirect_uris": [],
                "interactions_endpoint_url": null,
                "role_connections_verification_url": null,
                "tags": [],
                "approximate_guild_count": cfg.guilds.len(),
            }))
        }
        (m, ["applications", a, "commands", rest @ ..]) if is_app(a) => {
            commands_route(inner, st, m, None, rest, body)
        }
        (m, ["applications", a, "guilds", g, "commands", rest @ ..]) if is_app(a) => {
            match g.parse::<u64>() {
                Ok(g) => commands_route(inner, st, m, Some(g), rest, body),
                Err(_) => error(StatusCode::NOT_FOUND, 10004, "Unknown Guild"),
            }
        }
        ("GET", ["channels", c]) => {
            let Ok(c) = c.parse::<u64>() else {
                return error(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            };
            if let (Some(parent), Some(Some(g))) = (st.threads.get(&c), st.channels.get(&c)) {
                return ok(json!({
                    "id": c.to_string(), "type": 11, "guild_id": g.to_string(), "name": "a thread",
                    "parent_id": parent.to_string(), "owner_id": "1", "flags": 0,
                    "last_message_id": null, "rate_limit_per_user": 0,
                    "message_count": 1, "member_count": 1, "total_message_sent": 1,
                    "thread_metadata": {"archived": false, "auto_archive_duration": 1440,
                        "archive_timestamp": rfc3339(now_ms()), "locked": false},
                }));
            }
            match st.channels.get(&c) {
                Some(Some(g)) => ok(json!({
                    "id": c.to_string(), "type": 0, "guild_id": g.to_string(), "name": "general",
                    "position": 0, "permission_overwrites": [], "nsfw": false, "topic": null,
                    "last_message_id": null, "rate_limit_per_user": 0, "parent_id": null, "flags": 0,
                })),
                Some(None) => {
                    let user = st.dm_recipients.get(&c).copied().unwrap_or(1);
                    ok(json!({
                        "id": c.to_string(), "type": 1, "last_message_id": null, "flags": 0,
                        "recipients": [user_json(user, &format!("user{user}"), false)],
                    }))
                }
                None => error(StatusCode::NOT_FOUND, 10003, "Unknown Channel"),
            }
        }
        ("POST", ["channels", c, "messages"]) => {
            let Ok(c) = c.parse::<u64>() else {
                return error(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            };
            if let Err(answer) = validate_message(body, true) {
                return answer;
            }
            if let Some(made) = made_with_nonce(st, body) {
                return ok(made);
            }
            let msg = build_message(inner, st, c, body, false);
            if body["enforce_nonce"] == json!(true) {
                if let (Some(nonce), Some(id)) = (body["nonce"].as_str(), id_field(&msg, "id")) {
                    st.nonces.insert(nonce.to_owned(), (id, Instant::now()));
                }
            }
            ok(msg)
        }
        ("GET", ["channels", _, "messages", m]) => {
            match m.parse::<u64>().ok().and_then(|m| st.messages.get(&m)) {
                Some(msg) => ok(msg.clone()),
                None => error(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
            }
        }
        ("PATCH", ["channels", _, "messages", m]) => {
            let Ok(m) = m.parse::<u64>() else {
                return error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            };
            if let Err(answer) = validate_message(body, false) {
                return answer;
            }
            // A message that was never posted here, or was deleted since, is unknown.
            let Some(base) = st.messages.get(&m).cloned() else {
                return error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            };
            let edited = edit_message(base, body);
            st.messages.insert(m, edited.clone());
            ok(edited)
        }
        ("DELETE", ["channels", _, "messages", m]) => {
            if let Ok(m) = m.parse::<u64>() {
                st.messages.remove(&m);
            }
            no_content()
        }
        ("POST", ["channels", _, "typing"]) => no_content(),
        ("PUT" | "DELETE", ["channels", _, "messages", _, "reactions", ..]) => no_content(),
        ("POST", ["interactions", id, token, "callback"]) => {
            interaction_callback(inner, st, id, token, body)
        }
        (m, ["webhooks", a, token, rest @ ..]) if *a == app => {
            webhook_route(inner, st, m, token, rest, body)
        }
        _ => not_found(),
    }
}

/// How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes").
const NONCE_MEMORY: Duration = Duration::from_secs(5 * 60);

/// The message an `enforce_nonce` POST already made with the same nonce, if still there.
fn made_with_nonce(st: &State, body: &Value) -> Option<Value> {
    if body["enforce_nonce"] != json!(true) {
        return None;
    }
    let (id, made) = st.nonces.get(body["nonce"].as_str()?)?;
    (made.elapsed() < NONCE_MEMORY)
        .then(|| st.messages.get(id).cloned())
        .flatten()
}

fn commands_route(
    inner: &Inner,
    st: &mut State,
    method: &str,
    guild: Option<u64>,
    rest: &[&str],
    body: &Value,
) -> Answer {
    match (method, rest) {
        ("GET", []) => ok(json!(commands_of(st, guild).clone())),
        ("PUT", []) => {
            let Some(list) = body.as_array() else {
                return invalid_form_body("_root", "Must be an array.");
            };
            let existing = commands_of(st, guild).clone();
            let mut out = Vec::new();
            for c in list {
                // Bulk overwrite keeps the id of a command with the same name, like Discord.
                let keep = existing
                    .iter()
                    .find(|e| e["name"] == c["name"])
                    .and_then(|e| e["id"].as_str()?.parse().ok());
                out.push(command_json(inner, st, c, guild, keep));
            }
            *commands_of(st, guild) = out.clone();
            ok(json!(out))
        }
        ("POST", []) => {
            let keep = commands_of(st, guild)
                .iter()
                .find(|e| e["name"] == body["name"])
                .and_then(|e| e["id"].as_str()?.parse().ok());
            let cmd = command_json(inner, st, body, guild, keep);
            let list = commands_of(st, guild);
            list.retain(|e| e["name"] != cmd["name"]);
            list.push(cmd.clone());
            ok(cmd)
        }
        ("GET", [id]) => match commands_of(st, guild).iter().find(|e| e["id"] == *id) {
            Some(c) => ok(c.clone()),
            None => error(StatusCode::NOT_FOUND, 10063, "Unknown application command"),
        },
        ("DELETE", [id]) => {
            commands_of(st, guild).retain(|e| e["id"] != *id);
            no_content()
        }
        _ => not_found(),
    }
}

fn commands_of(st: &mut State, guild: Option<u64>) -> &mut Vec<Value> {
    match guild {
        None => &mut st.global_commands,
        Some(g) => st.guild_commands.entry(g).or_default(),
    }
}

/// The command object Discord returns: the request plus id, application_id, version, and
/// defaults for fields serenity's `Command` requires (`type`, `description`).
fn command_json(
    inner: &Inner,
    st: &mut State,
    req: &Value,
    guild: Option<u64>,
    keep_id: Option<u64>,
) -> Value {
    let id = keep_id.unwrap_or_else(|| st.next_id());
    let version = st.next_id();
    let mut cmd = req.clone();
    if !cmd.is_object() {
        cmd = json!({});
    }
    cmd["id"] = json!(id.to_string());
    cmd["application_id"] = json!(inner.config.application_id.to_string());
    cmd["version"] = json!(version.to_string());
    if cmd["type"].is_null() {
        cmd["type"] = json!(1);
    }
    if cmd["description"].is_null() {
        cmd["description"] = json!("");
    }
    if cmd["default_member_permissions"].is_null() {
        cmd["default_member_permissions"] = Value::Null;
    }
    if cmd["nsfw"].is_null() {
        cmd["nsfw"] = json!(false);
    }
    if let Some(g) = guild {
        cmd["guild_id"] = json!(g.to_string());
    }
    cmd
}

fn interaction_callback(
    inner: &Inner,
    st: &mut State,
    id: &str,
    token: &str,
    body: &Value,
) -> Answer {
    let unknown = || error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
    let Ok(id) = id.parse::<u64>() else {
        return unknown();
    };
    let deadline = inner.config.interaction_ack_deadline;
    let Some(rec) = st.interactions.get(&id) else {
        return unknown();
    };
    if rec.token != token || deadline.is_some_and(|d| rec.dispatched.elapsed() > d) {
        return unknown();
    }
    if rec.acked {
        return error(
            StatusCode::BAD_REQUEST,
            40060,
            "Interaction has already been acknowledged.",
        );
    }
    let response_type = body["type"].as_u64().unwrap_or(0);
    // Which callback types Discord accepts for which interaction types.
    let allowed: &[u64] = match rec.kind {
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        5 => &[4, 5, 6, 7],
        _ => &[1],
    };
    if !allowed.contains(&response_type) {
        return invalid_form_body(
            "type",
            "Interaction response type is invalid for this interaction.",
        );
    }
    if matches!(response_type, 4 | 7) {
        if let Err(answer) = validate_message(&body["data"], response_type == 4) {
            return answer;
        }
    }
    let channel_id = rec.channel_id;
    let original = match response_type {
        4 | 5 => {
            let mut m = build_message(inner, st, channel_id, &body["data"], true);
            if response_type == 5 {
                m["flags"] = json!(m["flags"].as_u64().unwrap_or(0) | 128); // LOADING
            }
            Some(m)
        }
        _ => None,
    };
    let rec = st.interactions.get_mut(&id).expect("checked above");
    rec.acked = true;
    rec.original = original;
    no_content()
}

fn webhook_route(
    inner: &Inner,
    st: &mut State,
    method: &str,
    token: &str,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let unknown_webhook = || error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
    let Some(interaction_id) = st
        .interactions
        .iter()
        .find(|(_, r)| r.token == token && r.acked)
        .map(|(id, _)| *id)
    else {
        return unknown_webhook();
    };
    let channel_id = st.interactions[&interaction_id].channel_id;
    match (method, rest) {
        ("POST", []) => {
            if let Err(answer) = validate_message(body, true) {
                return answer;
            }
            ok(build_message(inner, st, channel_id, body, true))
        }
        ("GET", ["messages", "@original"]) => match &st.interactions[&interaction_id].original {
            Some(m) => ok(m.clone()),
            None => error(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
        },
        ("PATCH", ["messages", "@original"]) => {
            if let Err(answer) = validate_message(body, false) {
                return answer;
            }
            let base = st.interactions[&interaction_id]
                .original
                .clone()
                .unwrap_or_else(|| build_message(inner, st, channel_id, &json!({}), true));
            let mut edited = edit_message(base, body);
            edited["flags"] = json!(edited["flags"].as_u64().unwrap_or(0) & !128);
            if let Some(rec) = st.interactions.get_mut(&interaction_id) {
                rec.original = Some(edited.clone());
            }
            ok(edited)
        }
        ("DELETE", ["messages", "@original"]) => {
            if let Some(rec) = st.interactions.get_mut(&interaction_id) {
                rec.original = None;
            }
            no_content()
        }
        ("GET", ["messages", m]) => match m.parse::<u64>().ok().and_then(|m| st.messages.get(&m)) {
            Some(msg) => ok(msg.clone()),
            None => error(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
        },
        ("PATCH", ["messages", m]) => {
            let Ok(m) = m.parse::<u64>() else {
                return error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            };
            if let Err(answer) = validate_message(body, false) {
                return answer;
            }
            let base = st
                .messages
                .get(&m)
                .cloned()
                .unwrap_or_else(|| build_message(inner, st, channel_id, &json!({}), true));
            let edited = edit_message(base, body);
            st.messages.insert(m, edited.clone());
            ok(edited)
        }
        ("DELETE", ["messages", m]) => {
            if let Ok(m) = m.parse::<u64>() {
                st.messages.remove(&m);
            }
            no_content()
        }
        _ => not_found(),
    }
}

fn invalid_form_body(field: &str, message: &str) -> Answer {
    (
        StatusCode::BAD_REQUEST,
        Some(json!({
            "message": "Invalid Form Body",
            "code": 50035,
            "errors": {field: {"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]}},
        })),
    )
}

/// Discord's checks on a message body: content length, and (for new messages) non-empty.
fn validate_message(body: &Value, is_new: bool) -> Result<(), Answer> {
    if let Some(content) = body["content"].as_str() {
        if content.chars().count() > CONTENT_LIMIT {
            return Err((
                StatusCode::BAD_REQUEST,
                Some(json!({
                    "message": "Invalid Form Body",
                    "code": 50035,
                    "errors": {"content": {"_errors": [{
                        "code": "BASE_TYPE_MAX_LENGTH",
                        "message": "Must be 2000 or fewer in length.",
                    }]}},
                })),
            ));
        }
    }
    let non_empty = |k: &str| match &body[k] {
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        _ => true,
    };
    let has_payload = [
        "content",
        "embeds",
        "components",
        "sticker_ids",
        "attachments",
        "poll",
    ]
    .iter()
    .any(|k| non_empty(k));
    if is_new && !has_payload {
        return Err(error(
            StatusCode::BAD_REQUEST,
            50006,
            "Cannot send an empty message",
        ));
    }
    Ok(())
}

/// The Message object Discord returns for a message the bot sends, built from the request
/// body. `from_interaction` marks webhook (interaction response / followup) messages.
fn build_message(
    inner: &Inner,
    st: &mut State,
    channel_id: u64,
    body: &Value,
    from_interaction: bool,
) -> Value {
    let id = st.next_id();
    let app = inner.config.application_id.to_string();
    let or = |k: &str, default: Value| {
        if body[k].is_null() {
            default
        } else {
            body[k].clone()
        }
    };
    let mut msg = json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": inner.bot_user(),
        "content": or("content", json!("")),
        "timestamp": rfc3339(snowflake_ms(id)),
        "edited_timestamp": null,
        "tts": or("tts", json!(false)),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": or("embeds", json!([])),
        "components": or("components", json!([])),
        "pinned": false,
        "type": 0,
        "flags": or("flags", json!(0)),
    });
    if !body["nonce"].is_null() {
        msg["nonce"] = body["nonce"].clone();
    }
    if body["message_reference"].is_object() {
        let mut r = body["message_reference"].clone();
        if r["channel_id"].is_null() {
            r["channel_id"] = json!(channel_id.to_string());
        }
        r["type"] = json!(0);
        msg["message_reference"] = r;
        msg["type"] = json!(19); // InlineReply
    }
    if from_interaction {
        msg["webhook_id"] = json!(app);
        msg["application_id"] = json!(app);
        msg["type"] = json!(20); // ChatInputCommand
    }
    st.messages.insert(id, msg.clone());
    msg
}

/// Applies an edit body to a message: given fields replace the old ones.
fn edit_message(mut base: Value, body: &Value) -> Value {
    for key in ["content", "embeds", "components", "flags"] {
        if !body[key].is_null() {
            base[key] = body[key].clone();
        }
    }
    base["edited_timestamp"] = json!(rfc3339(now_ms()));
    base
}

/// Extracts the JSON body; for multipart uploads, the `payload_json` part and file names.
fn parse_body(headers: &HeaderMap, body: &Bytes) -> (Value, Vec<String>) {
    if body.is_empty() {
        return (Value::Null, Vec::new());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        let text = String::from_utf8_lossy(body);
        let mut json = Value::Null;
        let mut files = Vec::new();
        for part in text.split(&format!("--{}", boundary.trim_matches('"'))) {
            let Some((head, content)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            if head.contains("name=\"payload_json\"") {
                json =
                    serde_json::from_str(content.trim_end_matches("\r\n")).unwrap_or(Value::Null);
            } else if let Some(name) = head.split("filename=\"").nth(1) {
                files.push(name.split('"').next().unwrap_or_default().to_owned());
            }
        }
        return (json, files);
    }
    match serde_json::from_slice(body) {
        Ok(v) => (v, Vec::new()),
        Err(_) => (
            Value::String(String::from_utf8_lossy(body).into_owned()),
            Vec::new(),
        ),
    }
}

// ============================================================================================
// helpers
// ============================================================================================

fn user_json(id: u64, username: &str, bot: bool) -> Value {
    let mut u = json!({
        "id": id.to_string(),
        "username": username,
        "global_name": if bot { Value::Null } else { json!(username) },
        "discriminator": if bot { "0001" } else { "0" },
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "clan": null,
        "primary_guild": null,
    });
    if bot {
        u["bot"] = json!(true);
    }
    u
}

fn partial_member(roles: &[u64]) -> Value {
    let roles: Vec<String> = roles.iter().map(u64::to_string).collect();
    json!({
        "roles": roles,
        "joined_at": rfc3339(now_ms() - 86_400_000),
        "premium_since": null,
        "nick": null,
        "avatar": null,
        "banner": null,
        "deaf": false,
        "mute": false,
        "pending": false,
        "flags": 0,
        "communication_disabled_until": null,
    })
}

/// Reads an id that Discord sends as a string (accepting a number too).
fn id_field(v: &Value, key: &str) -> Option<u64> {
    match &v[key] {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn summarize(reqs: &[Recorded]) -> Vec<String> {
    reqs.iter()
        .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
        .collect()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// Formats Unix milliseconds like Discord: `2024-05-01T12:34:56.789000+00:00`.
fn rfc3339(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let sod = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}000+00:00",
        sod / 3600,
        sod / 60 % 60,
        sod % 60,
        unix_ms % 1000
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Wraps `data` in a zlib stream of uncompressed ("stored") deflate blocks. That is a valid
/// zlib message for serenity's `ZlibDecoder`, without needing a compression library.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut chunks = data.chunks(0xFFFF).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(
            rfc3339(1_714_566_896_789),
            "2024-05-01T12:34:56.789000+00:00"
        );
    }

    #[test]
    fn zlib_header_is_valid() {
        let z = zlib_stored(b"{}");
        assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0);
        assert_eq!(z.len(), 2 + 5 + 2 + 4);
    }
}
