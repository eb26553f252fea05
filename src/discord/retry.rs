//! Retrying rate-limited REST calls, and describing Discord errors safely.
//!
//! With Discord's own address the library's ratelimiter waits out every 429 itself. Through
//! `api_url` (a proxy, or the fake Discord in tests) the ratelimiter must be off, and a 429
//! comes back as an error with its `Retry-After` header already discarded by the library. So
//! the bot retries by itself, a bounded number of times with a doubling backoff starting at
//! one second (Discord's usual per-route wait); a proxy in front normally absorbs 429s anyway.
//! Other failures are not retried: a 5xx on a message POST may have posted it.
//!
//! Error texts can carry request URLs, and interaction URLs carry the interaction's token (a
//! 15-minute credential to post as the bot), so [`describe`] removes tokens from them.

use std::future::Future;
use std::time::Duration;

use serenity::all::HttpError;

/// Waits before each retry of a rate-limited call: at most three retries, seven seconds.
pub(crate) const BACKOFF: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// Runs `call`, again after each backoff step while Discord answers 429.
pub(crate) async fn send<T, F, Fut>(what: &str, mut call: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    for wait in BACKOFF {
        match call().await {
            Err(error) if is_rate_limited(&error) => {
                tracing::warn!(
                    call = what,
                    wait_ms = wait.as_millis() as u64,
                    "Discord rate-limited the call; retrying"
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
