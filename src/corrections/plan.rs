//! Which earlier replies a reload's changes call for editing, and which are left out.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use super::{Platform, Sent, Target};
use crate::config::CorrectionsConfig;
use crate::facts::{AnswerChange, FactId};
use crate::lang::Lang;

/// One reply to edit: where it is, and which fact in which language it shows.
#[derive(Debug, Clone)]
pub struct Edit {
    pub platform: Platform,
    pub target: Target,
    pub fact: FactId,
    pub lang: Lang,
}

/// The edits one reload calls for, newest reply first, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub edits: Vec<Edit>,
    /// Replies that need an edit but are over `max_per_reload`: reported, not sent.
    pub capped: Vec<FactId>,
    /// Replies that need an edit the platform does not accept (an interaction whose token
    /// expired, an ephemeral message): skipped and counted, never tried.
    pub expired: Vec<FactId>,
}

/// The edits that `changes` call for among the `sent` replies: those about a changed fact, in
/// a language whose answer changed, sent within the window before `now`. The newest come
/// first, so the cap leaves out the replies least likely to be read again.
pub fn plan<'a>(
    changes: &[AnswerChange],
    sent: impl IntoIterator<Item = &'a Sent>,
    now: SystemTime,
    config: &CorrectionsConfig,
) -> Plan {
    let mut wanted: Vec<&Sent> = sent
        .into_iter()
        .filter(|sent| within(sent.sent_at, now, config.window()))
        .filter(|sent| {
            changes
                .iter()
                .any(|change| change.concerns(&sent.fact, sent.lang))
        })
        .collect();
    wanted.sort_by_key(|sent| std::cmp::Reverse(sent.sent_at));
    // A reply recorded twice is edited once; a set, since a reload may concern 100,000.
    let mut places = HashSet::with_capacity(wanted.len());
    wanted.retain(|sent| sent.target.place().is_none_or(|place| places.insert(place)));
    let mut plan = Plan::default();
    for sent in wanted {
        if !sent.target.editable_at(now) {
            plan.expired.push(sent.fact.clone());
        } else if plan.edits.len() < config.max_per_reload {
            plan.edits.push(Edit {
                platform: sent.platform,
                target: sent.target.clone(),
                fact: sent.fact.clone(),
                lang: sent.lang,
            });
        } else {
            plan.capped.push(sent.fact.clone());
        }
    }
    plan
}

/// Whether something sent at `at` is at most `window` before `now` (a clock that went back
/// counts as now).
pub(super) fn within(at: SystemTime, now: SystemTime, window: Duration) -> bool {
    now.duration_since(at).map_or(true, |age| age <= window)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn sent(fact: &str, message: u32, hours_ago: u64, lang: Lang) -> Sent {
        Sent {
            platform: Platform::Discord,
            target: Target::Message {
                channel: "1".into(),
                message: message.to_string().into(),
            },
            fact: FactId::new_unchecked(fact),
            lang,
            sent_at: now() - HOUR * u32::try_from(hours_ago).unwrap(),
        }
    }

    fn change(fact: &str, langs: &[Lang]) -> AnswerChange {
        AnswerChange {
            fact: FactId::new_unchecked(fact),
            langs: langs.to_vec(),
            retracted: false,
        }
    }

    fn messages(plan: &Plan) -> Vec<String> {
        plan.edits
            .iter()
            .map(|edit| match &edit.target {
                Target::Message { message, .. } => message.to_string(),
                Target::Interaction { .. } | Target::Expired | Target::Uneditable => {
                    "interaction".into()
                }
            })
            .collect()
    }

    #[test]
    fn only_replies_about_the_changed_fact_in_a_changed_language_within_the_window() {
        let sent = [
            sent("huawei", 1, 1, Lang::EN),
            sent("other", 2, 1, Lang::EN),
            sent("huawei", 3, 2, Lang::ES),
            sent("huawei", 4, 73, Lang::EN),
            sent("huawei", 5, 71, Lang::EN),
        ];
        let config = CorrectionsConfig::default();
        let plan = plan(&[change("huawei", &[Lang::EN])], &sent, now(), &config);
        assert_eq!(messages(&plan), ["1", "5"], "newest first; 72 h window");
        let both = super::plan(
            &[change("huawei", &[Lang::EN, Lang::ES])],
            &sent,
            now(),
            &config,
        );
        assert_eq!(messages(&both), ["1", "3", "5"]);
    }

    #[test]
    fn the_cap_keeps_the_newest_and_counts_the_rest() {
        let sent: Vec<Sent> = (0..5)
            .map(|i| sent("a", i, u64::from(i), Lang::EN))
            .collect();
        let config = CorrectionsConfig {
            max_per_reload: 3,
            ..CorrectionsConfig::default()
        };
        let plan = plan(&[change("a", &[Lang::EN])], &sent, now(), &config);
        assert_eq!(messages(&plan), ["0", "1", "2"]);
        assert_eq!(plan.capped.len(), 2);
    }

    #[test]
    fn expired_interactions_are_counted_not_tried_and_a_reply_is_edited_once() {
        let interaction = |minutes_left: i64| Sent {
            target: Target::Interaction {
                application: "9".into(),
                token: format!("token-{minutes_left}").into(),
                expires: if minutes_left > 0 {
                    now() + Duration::from_secs(60)
                } else {
                    now() - Duration::from_secs(60)
                },
            },
            ..sent("a", 0, 0, Lang::EN)
        };
        let sent = [
            interaction(5),
            interaction(-5),
            sent("a", 7, 1, Lang::EN),
            sent("a", 7, 2, Lang::EN),
        ];
        let plan = plan(
            &[change("a", &[Lang::EN])],
            &sent,
            now(),
            &CorrectionsConfig::default(),
        );
        assert_eq!(messages(&plan), ["interaction", "7"]);
        assert_eq!(plan.expired.len(), 1);
    }

    #[test]
    fn an_uneditable_reply_is_counted_never_tried() {
        let uneditable = Sent {
            target: Target::Uneditable,
            ..sent("a", 0, 0, Lang::EN)
        };
        let sent = [uneditable.clone(), uneditable, sent("a", 7, 1, Lang::EN)];
        let plan = plan(
            &[change("a", &[Lang::EN])],
            &sent,
            now(),
            &CorrectionsConfig::default(),
        );
        assert_eq!(messages(&plan), ["7"]);
        assert_eq!(plan.expired.len(), 2, "each uneditable reply is counted");
    }
}
