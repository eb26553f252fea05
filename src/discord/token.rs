//! The bot token: where it comes from, and how it is kept out of logs, errors and `Debug`.
//!
//! Anyone holding the token controls the bot, so it lives in a [`SecretString`] from the moment
//! it is read, is shown to the Discord library only when building the HTTP client, and every
//! error about it names where it was looked for, never what it is.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret as _, SecretString};

/// The environment variable read first.
pub const TOKEN_ENV: &str = "DISCORD_TOKEN";

/// What to do when there is no token: printed as is, so it says every step.
pub const HOW_TO_GET_A_TOKEN: &str = "\
no Discord bot token: factbot needs one to connect to Discord.
  1. Open https://discord.com/developers/applications, create an application (or pick yours).
  2. Under Bot, press Reset Token and copy the token.
  3. Either export it:            export DISCORD_TOKEN='<token>'
     or keep it in a file (mode 600) and name that file in config/factbot.toml:
                                  [discord]
                                  token_file = \"/path/to/token\"
See the README, section \"Discord\", for the whole set-up (scopes, permissions, invite link).";

/// A Discord bot token. Its `Debug` shows nothing of it.
pub struct Token(SecretString);

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{HOW_TO_GET_A_TOKEN}")]
    Missing,
    #[error("cannot read the Discord token file {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the Discord token from {from} is empty or has spaces in it; paste the token alone")]
    Malformed { from: String },
}

impl Token {
    /// Takes `raw` as a token: surrounding whitespace and a pasted `Bot ` prefix are dropped.
    pub fn new(raw: &str, from: &str) -> Result<Self, TokenError> {
        let token = raw.trim();
        let token = token.strip_prefix("Bot ").unwrap_or(token).trim();
        if token.is_empty() || token.chars().any(char::is_whitespace) {
            return Err(TokenError::Malformed {
                from: from.to_owned(),
            });
        }
        Ok(Self(SecretString::from(token.to_owned())))
    }

    /// The token from `env_value` (the value of `DISCORD_TOKEN`, when set and not blank), else
    /// from `token_file`, else [`TokenError::Missing`].
    pub fn resolve(
        env_value: Option<String>,
        token_file: Option<&Path>,
    ) -> Result<Self, TokenError> {
        if let Some(value) = env_value.filter(|value| !value.trim().is_empty()) {
            return Self::new(&value, TOKEN_ENV);
        }
        let Some(path) = token_file else {
            return Err(TokenError::Missing);
        };
        let text = std::fs::read_to_string(path).map_err(|source| TokenError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        Self::new(&text, &path.display().to_string())
    }

    /// The token itself, for the Discord library's HTTP client and nothing else.
    pub(super) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_and_prefix_and_whitespace_are_dropped() {
        let token = Token::resolve(
            Some(" Bot abc.def \n".into()),
            Some(Path::new("/nonexistent")),
        )
        .unwrap();
        assert_eq!(token.expose(), "abc.def");
    }

    #[test]
    fn file_is_read_when_the_environment_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "from-file\n").unwrap();
        assert_eq!(
            Token::resolve(Some("  ".into()), Some(&path))
                .unwrap()
                .expose(),
            "from-file"
        );
        assert_eq!(
            Token::resolve(None, Some(&path)).unwrap().expose(),
            "from-file"
        );
    }

    #[test]
    fn missing_and_bad_tokens_say_what_to_do_without_showing_it() {
        let missing = Token::resolve(None, None).unwrap_err().to_string();
        assert!(
            missing.contains("DISCORD_TOKEN") && missing.contains("token_file"),
            "{missing}"
        );
        let malformed = Token::resolve(Some("two words".into()), None)
            .unwrap_err()
            .to_string();
        assert!(
            !malformed.contains("two words") && malformed.contains(TOKEN_ENV),
            "{malformed}"
        );
        let unreadable = Token::resolve(None, Some(Path::new("/nonexistent/token")))
            .unwrap_err()
            .to_string();
        assert!(unreadable.contains("/nonexistent/token"), "{unreadable}");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = Token::new("very-secret", "test").unwrap();
        assert!(!format!("{token:?}").contains("very-secret"));
    }
}
