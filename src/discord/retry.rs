//! Retrying REST calls that failed on the way, and describing Discord errors safely.
//!
//! Rate limits: with Discord's own URLs (production, and the tests' fake Discord) the
//! library's ratelimiter waits out every 429 for its `Retry-After`, per route and global, and
//! queues calls behind a bucket that is used up, so a 429 never reaches this module. Through
//! a rate-limiting proxy the ratelimiter is off and a 429 the proxy passes on comes back as an
//! error with its `Retry-After` already discarded by the library; then the bot waits a
//! doubling backoff from one second (Discord's usual per-route wait).
//!
//! Server errors (500, 502, 503, 504) and calls that time out or cannot connect may or may not
//! have been carried out, so only [`deliver`] retries them, for calls Discord deduplicates: a
//! message carrying a `nonce` with `enforce_nonce`, which Discord creates at most once.
//!
//! Error texts can carry request URLs, and interaction URLs carry the interaction's token (a
//! 15-minute credential to post as the bot), so [`describe`] removes tokens from them.

use std::future::Future;
use std::time::Duration;

use serenity::all::HttpError;

/// Waits before each retry: at most three retries, seven seconds.
pub(crate) const BACKOFF: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// Runs `call`, again after each backoff step while a proxy answers 429.
pub(crate) async fn send<T, F, Fut>(what: &str, call: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    with_backoff(what, call, is_rate_limited).await
}

/// Runs `call`, again after each backoff step while it is rate-limited, fails with a server
/// error or gets no answer. Only for calls Discord carries out at most once however often
/// they are sent (a message with a `nonce` and `enforce_nonce`).
pub(crate) async fn deliver<T, F, Fut>(what: &str, call: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    with_backoff(what, call, |error| {
        is_rate_limited(error) || is_transient(error)
    })
    .await
}

async fn with_backoff<T, F, Fut>(
    what: &str,
    mut call: F,
    retry: impl Fn(&serenity::Error) -> bool,
) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    for wait in BACKOFF {
        match call().await {
            Err(error) if retry(&error) => {
                tracing::warn!(
                    call = what,
                    wait_ms = wait.as_millis() as u64,
                    "Discord call failed, retrying: {}",
                    describe(&error)
                );
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
    call().await
}

fn is_rate_limited(error: &serenity::Error) -> bool {
    status_of(error) == Some(429)
}

/// A server error, a timeout or no connection: the call may be worth sending again.
fn is_transient(error: &serenity::Error) -> bool {
    match error {
        serenity::Error::Http(HttpError::Request(error)) => {
            error.is_timeout() || error.is_connect()
        }
        _ => matches!(status_of(error), Some(500 | 502 | 503 | 504)),
    }
}

/// The HTTP status of a failed REST call, if that is what failed.
pub(crate) fn status_of(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// A one-line description of `error` for logs, without tokens.
pub(crate) fn describe(error: &serenity::Error) -> String {
    let text = match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => format!(
            "{} {} answered {} (code {}): {}",
            response.method,
            response.url,
            response.status_code.as_u16(),
            response.error.code,
            response.error.message
        ),
        other => other.to_string(),
    };
    redact(&text)
}

/// Replaces the token segment of interaction and webhook URLs (`/interactions/<id>/<token>`,
/// `/webhooks/<id>/<token>`) with `***`.
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["/interactions/", "/webhooks/"]
        .iter()
        .filter_map(|marker| rest.find(marker).map(|at| (at, marker.len())))
        .min()
    {
        let (start, marker_len) = at;
        let after_marker = start + marker_len;
        out.push_str(&rest[..after_marker]);
        let tail = &rest[after_marker..];
        let id_end = tail.find('/').unwrap_or(tail.len());
        out.push_str(&tail[..id_end]);
        let tail = &tail[id_end..];
        if let Some(token_part) = tail.strip_prefix('/') {
            let token_end = token_part
                .find(['/', '?', ' ', ')'])
                .unwrap_or(token_part.len());
            out.push_str("/***");
            rest = &token_part[token_end..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn interaction_and_webhook_tokens_are_removed() {
        assert_eq!(
            redact("POST http://x/api/v10/interactions/123/aW50ZXJhY3Rpb24/callback answered 500"),
            "POST http://x/api/v10/interactions/123/***/callback answered 500"
        );
        assert_eq!(
            redact("url (https://d/api/v10/webhooks/9/tok?wait=true)"),
            "url (https://d/api/v10/webhooks/9/***?wait=true)"
        );
        assert_eq!(redact("/channels/5/messages"), "/channels/5/messages");
        assert_eq!(redact("/webhooks/9"), "/webhooks/9");
    }

    #[tokio::test(start_paused = true)]
    async fn deliver_retries_three_times_then_gives_the_error() {
        let calls = AtomicUsize::new(0);
        let started = tokio::time::Instant::now();
        let result: serenity::Result<()> = deliver("test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(server_error(503)) }
        })
        .await;
        assert_eq!(status_of(&result.unwrap_err()), Some(503));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        assert_eq!(started.elapsed(), Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn only_deliver_retries_a_server_error_and_neither_a_client_error() {
        for (status, deliver_calls) in [(500, 2), (502, 2), (504, 2), (400, 1), (404, 1)] {
            let calls = AtomicUsize::new(0);
            let _ = tokio::time::timeout(Duration::from_millis(1100), async {
                let _: serenity::Result<()> = deliver("test", || {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async move { Err(server_error(status)) }
                })
                .await;
            })
            .await;
            assert_eq!(calls.load(Ordering::SeqCst), deliver_calls, "{status}");
            let calls = AtomicUsize::new(0);
            let _: serenity::Result<()> = send("test", || {
                calls.fetch_add(1, Ordering::SeqCst);
                async move { Err(server_error(status)) }
            })
            .await;
            assert_eq!(calls.load(Ordering::SeqCst), 1, "{status}");
        }
    }

    /// A failed call as the library reports it: `status` with Discord's JSON error body.
    fn server_error(status: u16) -> serenity::Error {
        let response = http::Response::builder()
            .status(status)
            .body(r#"{"message": "error", "code": 0}"#)
            .expect("response");
        let response = futures_util::FutureExt::now_or_never(
            serenity::http::ErrorResponse::from_response(response.into(), reqwest::Method::POST),
        )
        .expect("the body is already in memory");
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response))
    }

    #[tokio::test]
    async fn other_errors_are_not_retried() {
        let calls = AtomicUsize::new(0);
        let result: serenity::Result<()> = send("test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(serenity::Error::Other("boom")) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
