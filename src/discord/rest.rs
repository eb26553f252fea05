//! The REST client the bot talks to Discord with: where calls go, whom TLS trusts, how long
//! one may take, and who waits out rate limits.
//!
//! Three endpoints, one client:
//! - **Discord** (no `api_url`): `https://discord.com`, the library's ratelimiter on.
//! - **Discord under another address** (`https://HOST:PORT` and a CA file): the same URLs and
//!   the same ratelimiter, with `discord.com` resolved to HOST:PORT and that CA trusted. The
//!   tests run the production path this way against the fake Discord.
//! - **A rate-limiting proxy** (`http://…`, or `https://…` without a CA file): the library
//!   rewrites every URL to the proxy, and must run with its ratelimiter off (it ignores the
//!   proxy while on); the proxy owns rate limits, and `retry` backs off on a 429 it passes on.
//!
//! Every call is abandoned after [`TIMEOUT`], so a call that hangs cannot hold a reply forever.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use serenity::all::{Http, HttpBuilder};

use super::{DiscordError, Token};
use crate::config::DiscordConfig;

/// How long one REST call may take before it is abandoned (and, for a message, retried with
/// its nonce). Discord answers in well under a second; ten leaves room for a slow upload.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// Discord's REST host, the name the library's URLs carry.
const DISCORD_HOST: &str = "discord.com";

/// Where REST calls go, from `api_url` and the CA file.
#[derive(Debug, PartialEq)]
enum Endpoint {
    Discord,
    /// discord.com resolved to this address, trusting this CA (PEM).
    Resolved(SocketAddr, Vec<u8>),
    Proxy(String),
}

/// Builds the client for `config`'s endpoint.
pub(crate) fn http(config: &DiscordConfig, token: &Token) -> Result<Http, DiscordError> {
    let endpoint = endpoint(config.api_url.as_deref(), config.ca_cert.as_deref())?;
    let client = reqwest::Client::builder().use_rustls_tls().timeout(TIMEOUT);
    let builder = HttpBuilder::new(token.expose());
    let http = match endpoint {
        Endpoint::Discord => builder.client(build(client)?),
        Endpoint::Resolved(addr, pem) => {
            let ca = reqwest::Certificate::from_pem(&pem)
                .map_err(|error| DiscordError::BadCaCert(error.to_string()))?;
            let client = client
                .resolve(DISCORD_HOST, addr)
                .add_root_certificate(ca)
                .build()
                .map_err(|error| DiscordError::BadCaCert(error.to_string()))?;
            builder.client(client)
        }
        Endpoint::Proxy(url) => builder
            .client(build(client)?)
            .proxy(url)
            .ratelimiter_disabled(true),
    };
    Ok(http.build())
}

fn build(client: reqwest::ClientBuilder) -> Result<reqwest::Client, DiscordError> {
    client
        .build()
        .map_err(|error| DiscordError::Unreachable(error.to_string()))
}

fn endpoint(api_url: Option<&str>, ca_cert: Option<&Path>) -> Result<Endpoint, DiscordError> {
    let Some(url) = api_url else {
        return Ok(Endpoint::Discord);
    };
    let url = url.trim_end_matches('/');
    match (url.strip_prefix("https://"), ca_cert) {
        (Some(host_port), Some(ca)) => {
            let addr = resolve(host_port).ok_or_else(|| DiscordError::BadApiUrl(url.into()))?;
            let pem = std::fs::read(ca).map_err(|error| {
                DiscordError::BadCaCert(format!("cannot read {}: {error}", ca.display()))
            })?;
            Ok(Endpoint::Resolved(addr, pem))
        }
        _ if url.starts_with("http://") || url.starts_with("https://") => {
            Ok(Endpoint::Proxy(url.to_owned()))
        }
        _ => Err(DiscordError::BadApiUrl(url.to_owned())),
    }
}

/// `HOST:PORT` (no path) as the first address it names.
fn resolve(host_port: &str) -> Option<SocketAddr> {
    if host_port.contains('/') {
        return None;
    }
    host_port.to_socket_addrs().ok()?.next()
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn each_api_url_picks_its_endpoint() {
        assert_eq!(endpoint(None, None).unwrap(), Endpoint::Discord);
        assert_eq!(
            endpoint(Some("http://127.0.0.1:3000/"), None).unwrap(),
            Endpoint::Proxy("http://127.0.0.1:3000".into())
        );
        assert_eq!(
            endpoint(Some("https://proxy.example"), None).unwrap(),
            Endpoint::Proxy("https://proxy.example".into())
        );
        let mut ca = tempfile::NamedTempFile::new().unwrap();
        ca.write_all(b"pem").unwrap();
        assert_eq!(
            endpoint(Some("https://127.0.0.1:8443"), Some(ca.path())).unwrap(),
            Endpoint::Resolved("127.0.0.1:8443".parse().unwrap(), b"pem".to_vec())
        );
        assert!(matches!(
            endpoint(Some("https://127.0.0.1:8443/api"), Some(ca.path())),
            Err(DiscordError::BadApiUrl(_))
        ));
        assert!(matches!(
            endpoint(
                Some("https://127.0.0.1:8443"),
                Some(Path::new("/no/such.pem"))
            ),
            Err(DiscordError::BadCaCert(_))
        ));
        assert!(matches!(
            endpoint(Some("discord.example"), None),
            Err(DiscordError::BadApiUrl(_))
        ));
    }
}
