//! Per-member cooldown and per-channel rate limit, so one member or one busy channel cannot
//! turn the bot into a flood.
//!
//! A refused question gets a short notice, but only the first one in a window: a member who
//! keeps asking sees one "slow down", not one per message. The maps sit behind a std `Mutex`
//! held only for a few map operations, never across `.await`: this is the one lock on the
//! answer path (see ARCHITECTURE.md), because a cooldown is a read-modify-write per member that
//! a swapped snapshot cannot express.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Notice;
use crate::lang::Lang;

/// Entries kept before expired ones are swept, so the maps stay small on a big bot.
const SWEEP_AT: usize = 10_000;

/// What to do with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    /// The member asked too recently. `notify` is true for the first refusal in a window.
    UserCooldown {
        wait: Duration,
        notify: bool,
    },
    /// The channel had its share of answers for now.
    ChannelBusy {
        wait: Duration,
        notify: bool,
    },
}

impl Verdict {
    /// The notice for a refused question, `None` when allowed.
    pub(crate) fn notice(self) -> Option<Notice> {
        match self {
            Verdict::Allowed => None,
            Verdict::UserCooldown { wait, notify } => Some(Notice::Cooldown {
                wait,
                first: notify,
                lang: Lang::EN,
            }),
            Verdict::ChannelBusy { wait, notify } => Some(Notice::ChannelBusy {
                wait,
                first: notify,
                lang: Lang::EN,
            }),
        }
    }
}

pub(crate) struct Limiter {
    user_cooldown: Duration,
    channel_max: u32,
    channel_window: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    users: HashMap<u64, UserEntry>,
    channels: HashMap<u64, ChannelEntry>,
}

struct UserEntry {
    last: Instant,
    noticed: bool,
}

struct ChannelEntry {
    window_start: Instant,
    count: u32,
    noticed: bool,
}

impl Limiter {
    /// `channel_max` 0 means no channel limit; a zero cooldown means none.
    pub(crate) fn new(user_cooldown: Duration, channel_max: u32, channel_window: Duration) -> Self {
        Self {
            user_cooldown,
            channel_max,
            channel_window,
            state: Mutex::default(),
        }
    }

    /// Decides on a question from `user` in `channel` at `now`, and counts it when allowed.
    pub(crate) fn check(&self, user: u64, channel: u64, now: Instant) -> Verdict {
        if self.user_cooldown.is_zero() && self.channel_max == 0 {
            // No limits configured: nothing to count, so no lock on the answer path.
            return Verdict::Allowed;
        }
        // A poisoned lock only means another handler panicked mid-update: the maps are still
        // usable, and refusing every question from then on would be worse.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(entry) = state.users.get_mut(&user) {
            let elapsed = now.saturating_duration_since(entry.last);
            if elapsed < self.user_cooldown {
                let notify = !std::mem::replace(&mut entry.noticed, true);
                return Verdict::UserCooldown {
                    wait: self.user_cooldown - elapsed,
                    notify,
                };
            }
        }
        if self.channel_max > 0 {
            let window = self.channel_window;
            let entry = state.channels.entry(channel).or_insert(ChannelEntry {
                window_start: now,
                count: 0,
                noticed: false,
            });
            let elapsed = now.saturating_duration_since(entry.window_start);
            if elapsed >= window {
                *entry = ChannelEntry {
                    window_start: now,
                    count: 0,
                    noticed: false,
                };
            } else if entry.count >= self.channel_max {
                let notify = !std::mem::replace(&mut entry.noticed, true);
                return Verdict::ChannelBusy {
                    wait: window - elapsed,
                    notify,
                };
            }
            entry.count += 1;
        }
        if !self.user_cooldown.is_zero() {
            state.users.insert(
                user,
                UserEntry {
                    last: now,
                    noticed: false,
                },
            );
        }
        self.sweep(&mut state, now);
        Verdict::Allowed
    }

    fn sweep(&self, state: &mut State, now: Instant) {
        if state.users.len() > SWEEP_AT {
            state
                .users
                .retain(|_, entry| now.saturating_duration_since(entry.last) < self.user_cooldown);
        }
        if state.channels.len() > SWEEP_AT {
            state.channels.retain(|_, entry| {
                now.saturating_duration_since(entry.window_start) < self.channel_window
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn a_member_waits_between_questions_and_is_told_once() {
        let limiter = Limiter::new(3 * S, 0, S);
        let t0 = Instant::now();
        assert_eq!(limiter.check(1, 9, t0), Verdict::Allowed);
        assert_eq!(
            limiter.check(1, 9, t0 + S),
            Verdict::UserCooldown {
                wait: 2 * S,
                notify: true
            }
        );
        assert_eq!(
            limiter.check(1, 9, t0 + 2 * S),
            Verdict::UserCooldown {
                wait: S,
                notify: false
            }
        );
        assert_eq!(
            limiter.check(2, 9, t0 + S),
            Verdict::Allowed,
            "other members are not held up"
        );
        assert_eq!(limiter.check(1, 9, t0 + 3 * S), Verdict::Allowed);
        assert!(matches!(
            limiter.check(1, 9, t0 + 4 * S),
            Verdict::UserCooldown { notify: true, .. }
        ));
    }

    #[test]
    fn a_channel_gets_at_most_its_share_per_window() {
        let limiter = Limiter::new(Duration::ZERO, 2, 10 * S);
        let t0 = Instant::now();
        assert_eq!(limiter.check(1, 9, t0), Verdict::Allowed);
        assert_eq!(limiter.check(2, 9, t0), Verdict::Allowed);
        assert_eq!(
            limiter.check(3, 9, t0 + S),
            Verdict::ChannelBusy {
                wait: 9 * S,
                notify: true
            }
        );
        assert_eq!(
            limiter.check(4, 9, t0 + S),
            Verdict::ChannelBusy {
                wait: 9 * S,
                notify: false
            }
        );
        assert_eq!(
            limiter.check(3, 8, t0 + S),
            Verdict::Allowed,
            "other channels are not held up"
        );
        assert_eq!(
            limiter.check(3, 9, t0 + 10 * S),
            Verdict::Allowed,
            "a new window opens"
        );
    }

    #[test]
    fn zero_settings_disable_limits_and_notices_read_well() {
        let limiter = Limiter::new(Duration::ZERO, 0, S);
        let t0 = Instant::now();
        assert!((0..100).all(|_| limiter.check(1, 1, t0) == Verdict::Allowed));
        let notice = Verdict::UserCooldown {
            wait: Duration::from_millis(300),
            notify: true,
        }
        .notice()
        .unwrap();
        assert_eq!(
            notice.to_string(),
            "You're asking quickly: try again in 1 s."
        );
        assert!(Verdict::Allowed.notice().is_none());
    }
}
