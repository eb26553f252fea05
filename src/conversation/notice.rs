//! What the bot tells a member instead of an answer, as a typed value.
//!
//! Every platform words a refusal the same way, and tests match on the variant rather than on a
//! sentence; adapters only lay the text out (and escape it for their markup).

use std::fmt;
use std::time::Duration;

use crate::lang::{Lang, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The channel is outside the allow-list.
    NotHere,
    /// The member asked too recently. `first` is true for the first refusal in a window;
    /// `lang` is the language of the question refused.
    Cooldown {
        wait: Duration,
        first: bool,
        lang: Lang,
    },
    /// The channel had its share of answers for now.
    ChannelBusy {
        wait: Duration,
        first: bool,
        lang: Lang,
    },
    /// A command the bot no longer offers (left registered by an older version).
    UnknownCommand,
    /// A moderators' subcommand the bot does not know.
    UnknownSubcommand,
    /// The moderators' command was used outside a server (Discord DMs).
    NotInAServer,
    NotAModerator,
    /// A history report was asked for, but questions are not recorded.
    NotRecorded,
    /// "Was this helpful?" was answered.
    Thanks,
    /// A handler failed; the details go to the log only.
    SomethingWentWrong,
}

impl Notice {
    /// The notice said in `lang`, for those that depend on the question's language.
    pub fn in_lang(self, lang: Lang) -> Self {
        match self {
            Self::Cooldown { wait, first, .. } => Self::Cooldown { wait, first, lang },
            Self::ChannelBusy { wait, first, .. } => Self::ChannelBusy { wait, first, lang },
            other => other,
        }
    }

    /// Whether a member who only wrote a message (rather than using a command, which must
    /// always be answered) is told: once per cooldown window, never about the allow-list, so a
    /// channel where the bot may not speak stays quiet.
    pub fn tell_unasked(&self) -> bool {
        match self {
            Self::Cooldown { first, .. } | Self::ChannelBusy { first, .. } => *first,
            Self::NotHere => false,
            _ => true,
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = |wait: &Duration| wait.as_secs().max(1);
        match self {
            Self::NotHere => f.write_str(
                "I don't answer in this channel; ask me where I'm allowed, or in a direct message.",
            ),
            Self::Cooldown { wait, lang, .. } => {
                let seconds = seconds(wait).to_string();
                f.write_str(&lang.text(Msg::CooldownMember, &[("seconds", &seconds)]))
            }
            Self::ChannelBusy { wait, lang, .. } => {
                let seconds = seconds(wait).to_string();
                f.write_str(&lang.text(Msg::CooldownChannel, &[("seconds", &seconds)]))
            }
            Self::UnknownCommand => f.write_str("I don't know that command any more."),
            Self::UnknownSubcommand => f.write_str("I don't know that subcommand."),
            Self::NotInAServer => {
                f.write_str("The moderators' commands work in a server, not in direct messages.")
            }
            Self::NotAModerator => {
                f.write_str("Sorry, this command is for the facts moderators only.")
            }
            Self::NotRecorded => f.write_str(
                "Questions are not recorded on this bot (history.enabled = false in its config).",
            ),
            Self::Thanks => f.write_str("Thanks, noted. It helps the editors improve the facts."),
            Self::SomethingWentWrong => f.write_str(&Lang::EN.text(Msg::SomethingWentWrong, &[])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_in_whole_seconds_and_only_first_refusals_are_told_unasked() {
        let cooldown = Notice::Cooldown {
            wait: Duration::from_millis(300),
            first: true,
            lang: Lang::EN,
        };
        assert_eq!(
            cooldown.to_string(),
            "You're asking quickly: try again in 1 s."
        );
        assert_eq!(
            cooldown.in_lang(Lang::ES).to_string(),
            "Estás preguntando muy rápido: vuelve a intentarlo en 1 s."
        );
        let busy = Notice::ChannelBusy {
            wait: Duration::from_secs(30),
            first: true,
            lang: Lang::ES,
        };
        assert!(busy
            .to_string()
            .starts_with("Hay muchas preguntas aquí ahora mismo: vuelve a intentarlo en 30 s"));
        assert!(cooldown.tell_unasked());
        assert!(!Notice::ChannelBusy {
            wait: Duration::from_secs(9),
            first: false,
            lang: Lang::EN,
        }
        .tell_unasked());
        assert!(!Notice::NotHere.tell_unasked());
    }
}
