//! Slack's two tokens: where they come from, and how they are kept out of logs and `Debug`.
//!
//! Socket Mode needs both: the app-level token (`xapp-…`, scope `connections:write`) opens the
//! websocket, the bot token (`xoxb-…`) makes every Web API call. Each lives in a
//! [`SecretString`] from the moment it is read, and every error names where it was looked for,
//! never what it is.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret as _, SecretString};

pub const BOT_TOKEN_ENV: &str = "SLACK_BOT_TOKEN";
pub const APP_TOKEN_ENV: &str = "SLACK_APP_TOKEN";

/// What to do when a token is missing: printed as is, so it says every step.
pub const HOW_TO_GET_TOKENS: &str = "\
no Slack tokens: factbot needs the bot token (xoxb-…) and the app-level token (xapp-…).
  1. Open https://api.slack.com/apps, Create New App, From an app manifest, and paste the
     manifest from the README, section \"Slack\" (it turns Socket Mode on).
  2. Basic Information, App-Level Tokens: Generate Token with the scope connections:write;
     copy the xapp-… token.
  3. Install App: install it to the workspace; copy the Bot User OAuth Token (xoxb-…).
  4. Either export them:     export SLACK_BOT_TOKEN='xoxb-…' SLACK_APP_TOKEN='xapp-…'
     or keep each in a file (mode 600) and name the files in config/factbot.toml:
                             [slack]
                             bot_token_file = \"/path/to/bot-token\"
                             app_token_file = \"/path/to/app-token\"";

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{HOW_TO_GET_TOKENS}")]
    Missing,
    #[error("cannot read the Slack token file {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the Slack token from {from} does not start with {prefix}; paste the {kind} token alone"
    )]
    Malformed {
        from: String,
        prefix: &'static str,
        kind: &'static str,
    },
}

/// The bot and app-level tokens. Their `Debug` shows nothing of them.
pub struct Tokens {
    bot: SecretString,
    app: SecretString,
}

/// Which token, with the prefix Slack gives it.
#[derive(Clone, Copy)]
struct Kind {
    env: &'static str,
    prefix: &'static str,
    name: &'static str,
}

const BOT: Kind = Kind {
    env: BOT_TOKEN_ENV,
    prefix: "xoxb-",
    name: "bot",
};
const APP: Kind = Kind {
    env: APP_TOKEN_ENV,
    prefix: "xapp-",
    name: "app-level",
};

impl Tokens {
    pub fn new(bot: &str, app: &str) -> Result<Self, TokenError> {
        Ok(Self {
            bot: checked(bot, BOT, "test")?,
            app: checked(app, APP, "test")?,
        })
    }

    /// Both tokens, each from its environment variable (when set and not blank) or else its
    /// file; [`TokenError::Missing`] when either is nowhere.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        bot_file: Option<&Path>,
        app_file: Option<&Path>,
    ) -> Result<Self, TokenError> {
        Ok(Self {
            bot: one(&env, BOT, bot_file)?,
            app: one(&env, APP, app_file)?,
        })
    }

    pub(super) fn bot(&self) -> &str {
        self.bot.expose_secret()
    }

    pub(super) fn app(&self) -> &str {
        self.app.expose_secret()
    }
}

fn one(
    env: &impl Fn(&str) -> Option<String>,
    kind: Kind,
    file: Option<&Path>,
) -> Result<SecretString, TokenError> {
    if let Some(value) = env(kind.env).filter(|value| !value.trim().is_empty()) {
        return checked(&value, kind, kind.env);
    }
    let path = file.ok_or(TokenError::Missing)?;
    let text = std::fs::read_to_string(path).map_err(|source| TokenError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    checked(&text, kind, &path.display().to_string())
}

fn checked(raw: &str, kind: Kind, from: &str) -> Result<SecretString, TokenError> {
    let token = raw.trim();
    if !token.starts_with(kind.prefix) || token.chars().any(char::is_whitespace) {
        return Err(TokenError::Malformed {
            from: from.to_owned(),
            prefix: kind.prefix,
            kind: kind.name,
        });
    }
    Ok(SecretString::from(token.to_owned()))
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tokens([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn environment_first_then_files() {
        let dir = tempfile::tempdir().unwrap();
        let app_file = dir.path().join("app");
        std::fs::write(&app_file, "xapp-1-from-file\n").unwrap();
        let tokens = Tokens::resolve(
            env(&[(BOT_TOKEN_ENV, " xoxb-1 ")]),
            Some(Path::new("/nonexistent")),
            Some(&app_file),
        )
        .unwrap();
        assert_eq!((tokens.bot(), tokens.app()), ("xoxb-1", "xapp-1-from-file"));
    }

    #[test]
    fn missing_or_swapped_tokens_say_what_to_do_without_showing_them() {
        let missing = Tokens::resolve(env(&[(BOT_TOKEN_ENV, "xoxb-1")]), None, None)
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains(APP_TOKEN_ENV) && missing.contains("app_token_file"),
            "{missing}"
        );
        let swapped = Tokens::resolve(
            env(&[(BOT_TOKEN_ENV, "xapp-secret"), (APP_TOKEN_ENV, "xapp-2")]),
            None,
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            swapped.contains("xoxb-") && !swapped.contains("secret"),
            "{swapped}"
        );
        let tokens = Tokens::new("xoxb-very-secret", "xapp-also").unwrap();
        assert!(!format!("{tokens:?}").contains("secret"));
    }
}
