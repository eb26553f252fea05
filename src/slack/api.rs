//! The Slack Web API: a thin client over reqwest for the few methods factbot calls, and the
//! posts to interaction `response_url`s.
//!
//! A 429 is waited out for its `Retry-After` (seconds; 1 when absent, at most a minute) and
//! the call is sent again, once per 429, up to [`RATE_LIMIT_WAITS`] times, so a rate-limited
//! reply is late but not lost. Slack reports most failures as HTTP 200 with `"ok": false`;
//! those are errors here, with Slack's error code. Tokens go only into `Authorization`
//! headers, never into URLs or errors.

use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;

/// The Web API's public address.
pub const SLACK_API_URL: &str = "https://slack.com/api/";
/// 429s waited out per call before giving up.
pub(crate) const RATE_LIMIT_WAITS: usize = 5;
/// The longest `Retry-After` honoured as given; longer ones are cut to this.
const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// Every call, including its retries' sending (not the waits), ends within this.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("slack.api_url must start with http:// or https://, not {0:?}")]
    BadUrl(String),
    #[error("{call}: cannot reach Slack: {detail}")]
    Transport { call: String, detail: String },
    #[error("{call}: Slack answered HTTP {status}")]
    Status { call: String, status: u16 },
    #[error("{call}: Slack refused the call: {error}")]
    Refused { call: String, error: String },
    #[error("{call}: still rate-limited after {RATE_LIMIT_WAITS} waits")]
    RateLimited { call: String },
}

impl ApiError {
    /// Slack's error code for a refused call (`invalid_auth`, `channel_not_found`…).
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Refused { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Who the bot token belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub user_id: String,
    pub team_id: String,
}

pub(crate) struct WebApi {
    http: reqwest::Client,
    /// Ends with `/`; the method name is appended.
    base: String,
}

enum Body<'a> {
    Json(&'a Value),
    Empty,
}

impl WebApi {
    pub(crate) fn new(base: Option<&str>) -> Result<Self, ApiError> {
        let base = base.unwrap_or(SLACK_API_URL);
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ApiError::BadUrl(base.to_owned()));
        }
        let base = if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        };
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .build()
            .map_err(|error| ApiError::Transport {
                call: "client".into(),
                detail: error.to_string(),
            })?;
        Ok(Self { http, base })
    }

    /// `auth.test`: checks the bot token and says whose it is.
    pub(crate) async fn auth_test(&self, bot: &str) -> Result<Identity, ApiError> {
        let answer = self.call("auth.test", bot, Body::Empty).await?;
        let field = |name: &str| answer[name].as_str().unwrap_or_default().to_owned();
        Ok(Identity {
            user_id: field("user_id"),
            team_id: field("team_id"),
        })
    }

    /// `apps.connections.open`: a fresh Socket Mode websocket address.
    pub(crate) async fn open_connection(&self, app: &str) -> Result<String, ApiError> {
        let answer = self.call("apps.connections.open", app, Body::Empty).await?;
        answer["url"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| ApiError::Refused {
                call: "apps.connections.open".into(),
                error: "no url in the answer".into(),
            })
    }

    /// `chat.postMessage`, `chat.postEphemeral`: a JSON body built by `blocks`.
    pub(crate) async fn post(
        &self,
        method: &str,
        bot: &str,
        body: &Value,
    ) -> Result<Value, ApiError> {
        self.call(method, bot, Body::Json(body)).await
    }

    /// Members of a user group (`usergroups.users.list`).
    pub(crate) async fn group_members(
        &self,
        bot: &str,
        group: &str,
    ) -> Result<Vec<String>, ApiError> {
        let method = format!("usergroups.users.list?usergroup={}", query_safe(group));
        let answer = self.call(&method, bot, Body::Empty).await?;
        Ok(answer["users"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|user| user.as_str().map(str::to_owned))
            .collect())
    }

    /// Whether `user` is a workspace admin or owner (`users.info`).
    pub(crate) async fn is_admin(&self, bot: &str, user: &str) -> Result<bool, ApiError> {
        let method = format!("users.info?user={}", query_safe(user));
        let answer = self.call(&method, bot, Body::Empty).await?;
        let flag = |name: &str| answer["user"][name].as_bool().unwrap_or(false);
        Ok(flag("is_admin") || flag("is_owner") || flag("is_primary_owner"))
    }

    /// Posts to an interaction's `response_url` (no token: the URL is the credential).
    pub(crate) async fn respond(&self, response_url: &str, body: &Value) -> Result<(), ApiError> {
        if !(response_url.starts_with("https://") || response_url.starts_with("http://")) {
            return Err(ApiError::BadUrl(response_url.to_owned()));
        }
        self.send("response_url", response_url, None, Body::Json(body))
            .await
            .map(drop)
    }

    async fn call(&self, method: &str, token: &str, body: Body<'_>) -> Result<Value, ApiError> {
        let url = format!("{}{method}", self.base);
        let call = method.split('?').next().unwrap_or(method);
        let answer = self.send(call, &url, Some(token), body).await?;
        if answer["ok"].as_bool() == Some(true) {
            return Ok(answer);
        }
        Err(ApiError::Refused {
            call: call.to_owned(),
            error: answer["error"]
                .as_str()
                .unwrap_or("no error given")
                .to_owned(),
        })
    }

    /// Sends one call, again after each 429's `Retry-After`.
    async fn send(
        &self,
        call: &str,
        url: &str,
        token: Option<&str>,
        body: Body<'_>,
    ) -> Result<Value, ApiError> {
        let transport = |error: reqwest::Error| ApiError::Transport {
            call: call.to_owned(),
            detail: error.without_url().to_string(),
        };
        for _ in 0..=RATE_LIMIT_WAITS {
            let mut request = self.http.post(url);
            if let Some(token) = token {
                request = request.header(AUTHORIZATION, format!("Bearer {token}"));
            }
            request = match &body {
                Body::Json(json) => request
                    .header(CONTENT_TYPE, "application/json; charset=utf-8")
                    .body(json.to_string()),
                Body::Empty => request
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(""),
            };
            let response = request.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            if status == 429 {
                let wait = retry_after(response.headers());
                tracing::warn!(
                    call,
                    wait_ms = wait.as_millis() as u64,
                    "Slack rate-limited the call; retrying after Retry-After"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(ApiError::Status {
                    call: call.to_owned(),
                    status,
                });
            }
            let bytes = response.bytes().await.map_err(transport)?;
            // A response_url answers "ok" or nothing rather than JSON.
            return Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null));
        }
        Err(ApiError::RateLimited {
            call: call.to_owned(),
        })
    }
}

/// The wait a 429 asks for: `Retry-After` in whole seconds, 1 s when absent or unreadable.
fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map_or(Duration::from_secs(1), Duration::from_secs)
        .min(LONGEST_WAIT)
}

/// Slack ids are letters and digits; anything else is dropped rather than sent in a URL.
fn query_safe(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn retry_after_is_read_in_seconds_with_a_floor_and_a_ceiling() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Duration::from_secs(2));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(retry_after(&headers), LONGEST_WAIT);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
    }

    #[test]
    fn the_base_gets_its_slash_and_must_be_a_web_address() {
        assert_eq!(
            WebApi::new(Some("http://127.0.0.1:9/api")).unwrap().base,
            "http://127.0.0.1:9/api/"
        );
        assert_eq!(WebApi::new(None).unwrap().base, SLACK_API_URL);
        assert!(matches!(
            WebApi::new(Some("slack.com/api/")),
            Err(ApiError::BadUrl(_))
        ));
        assert_eq!(query_safe("U123&x=1"), "U123x1");
    }
}
