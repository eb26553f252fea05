//! The record of sent replies, compact: it holds one entry per reply about a fact for up to
//! three days (100,000 at most), so an entry is 32 bytes with no heap block of its own.
//!
//! Ids are numbers (see [`ids`](super::ids)), the fact is an index into the few ids the
//! record has seen, and entries live in fixed-size chunks, so the record grows a chunk at a
//! time instead of doubling a buffer and keeping both while it copies. What is rare or
//! short-lived stays out of line: interaction tokens (kept no longer than the platform honours
//! them, 15 minutes on Discord) and ids no number form reads. Both side tables are filed in the
//! same order as the entries, so dropping the oldest entries and forgetting expired tokens
//! only ever looks at the front: filing a reply costs the same with 10 or 100,000 on record.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use secrecy::SecretString;

use super::ids::Form;
use super::plan::within;
use super::{Platform, Sent, Target};
use crate::facts::{AnswerChange, FactId};
use crate::lang::Lang;

/// Entries per chunk: 32 KiB, allocated whole, freed whole.
const CHUNK: usize = 1024;

/// One reply on record.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The channel's id (a message) or unused (0).
    channel: u64,
    /// The message's id (a message), or the key of the reply's line in a side table.
    message: u64,
    sent_at_ms: u64,
    /// Index into [`Record::facts`].
    fact: u32,
    lang: Lang,
    platform: Platform,
    place: Place,
}

/// How an entry's place is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Channel and message ids as numbers, in these forms.
    Message(Form, Form),
    /// Ids no form reads: in [`Record::texts`] under the entry's key.
    Text,
    /// In [`Record::tokens`] under the entry's key while the token lives.
    Interaction,
    Expired,
    Uneditable,
}

/// An interaction reply's token, kept apart while it can still edit.
#[derive(Debug)]
struct Token {
    key: u64,
    application: Box<str>,
    token: SecretString,
    expires: SystemTime,
}

/// The replies sent, oldest first.
#[derive(Debug, Default)]
pub(super) struct Record {
    entries: Chunks,
    /// Every fact id a reply on record was about (a story's few hundred at most; the
    /// table empties with the record).
    facts: Vec<FactId>,
    fact_index: HashMap<FactId, u32>,
    /// Live tokens, in filing order (all get the platform's same life, so the oldest expires
    /// first).
    tokens: VecDeque<Token>,
    /// Places whose ids are no number, in filing order.
    texts: VecDeque<(u64, Box<str>, Box<str>)>,
    next_key: u64,
}

impl Record {
    /// Files a reply as the newest.
    pub(super) fn file(&mut self, sent: Sent) {
        let fact = self.intern(sent.fact);
        let key = self.next_key;
        self.next_key += 1;
        let (channel, message, place) = match sent.target {
            Target::Message { channel, message } => {
                match (Form::read(&channel), Form::read(&message)) {
                    (Some((c_form, c)), Some((m_form, m))) => {
                        (c, m, Place::Message(c_form, m_form))
                    }
                    _ => {
                        self.texts.push_back((key, channel, message));
                        (0, key, Place::Text)
                    }
                }
            }
            Target::Interaction {
                application,
                token,
                expires,
            } => {
                self.tokens.push_back(Token {
                    key,
                    application,
                    token,
                    expires,
                });
                (0, key, Place::Interaction)
            }
            Target::Expired => (0, key, Place::Expired),
            Target::Uneditable => (0, key, Place::Uneditable),
        };
        self.entries.push(Entry {
            channel,
            message,
            sent_at_ms: millis(sent.sent_at),
            fact,
            lang: sent.lang,
            platform: sent.platform,
            place,
        });
    }

    /// Drops the replies sent more than `window` before `now` and, past `max`, the oldest, so
    /// one more fits; forgets the tokens that expired.
    pub(super) fn tidy(&mut self, now: SystemTime, window: Duration, max: usize) {
        while let Some(oldest) = self.entries.front() {
            if self.entries.len() < max && within(time(oldest.sent_at_ms), now, window) {
                break;
            }
            self.drop_oldest();
        }
        while self
            .tokens
            .front()
            .is_some_and(|token| token.expires <= now)
        {
            self.tokens.pop_front();
        }
        if self.entries.len() == 0 {
            self.facts.clear();
            self.fact_index.clear();
        }
    }

    /// The replies about a fact in a language `changes` name, sent within `window` before
    /// `now`, newest first, as they were filed (an interaction whose token is gone as
    /// [`Target::Expired`]).
    pub(super) fn about(
        &self,
        changes: &[AnswerChange],
        now: SystemTime,
        window: Duration,
    ) -> Vec<Sent> {
        let changed: Vec<bool> = self
            .facts
            .iter()
            .map(|fact| changes.iter().any(|change| change.fact == *fact))
            .collect();
        self.entries
            .newest_first()
            .filter(|entry| changed[entry.fact as usize])
            .filter(|entry| within(time(entry.sent_at_ms), now, window))
            .filter(|entry| {
                let fact = &self.facts[entry.fact as usize];
                changes
                    .iter()
                    .any(|change| change.concerns(fact, entry.lang))
            })
            .map(|entry| self.sent(entry, now))
            .collect()
    }

    fn sent(&self, entry: &Entry, now: SystemTime) -> Sent {
        Sent {
            platform: entry.platform,
            target: self.target(entry, now),
            fact: self.facts[entry.fact as usize].clone(),
            lang: entry.lang,
            sent_at: time(entry.sent_at_ms),
        }
    }

    fn target(&self, entry: &Entry, now: SystemTime) -> Target {
        match entry.place {
            Place::Message(channel, message) => Target::Message {
                channel: channel.write(entry.channel),
                message: message.write(entry.message),
            },
            Place::Text => match self
                .texts
                .binary_search_by_key(&entry.message, |text| text.0)
            {
                Ok(at) => Target::Message {
                    channel: self.texts[at].1.clone(),
                    message: self.texts[at].2.clone(),
                },
                Err(_) => Target::Uneditable,
            },
            Place::Interaction => {
                match self
                    .tokens
                    .binary_search_by_key(&entry.message, |token| token.key)
                {
                    Ok(at) if now < self.tokens[at].expires => {
                        let token = &self.tokens[at];
                        Target::Interaction {
                            application: token.application.clone(),
                            token: token.token.clone(),
                            expires: token.expires,
                        }
                    }
                    _ => Target::Expired,
                }
            }
            Place::Expired => Target::Expired,
            Place::Uneditable => Target::Uneditable,
        }
    }

    fn drop_oldest(&mut self) {
        let Some(entry) = self.entries.pop_front() else {
            return;
        };
        let key = entry.message;
        match entry.place {
            Place::Text => {
                while self.texts.front().is_some_and(|text| text.0 <= key) {
                    self.texts.pop_front();
                }
            }
            Place::Interaction => {
                while self.tokens.front().is_some_and(|token| token.key <= key) {
                    self.tokens.pop_front();
                }
            }
            Place::Message(..) | Place::Expired | Place::Uneditable => {}
        }
    }

    fn intern(&mut self, fact: FactId) -> u32 {
        if let Some(&index) = self.fact_index.get(&fact) {
            return index;
        }
        let index = u32::try_from(self.facts.len()).unwrap_or(u32::MAX);
        self.facts.push(fact.clone());
        self.fact_index.insert(fact, index);
        index
    }
}

/// Entries in fixed-size chunks, oldest first: pushing never copies what is there, and the
/// oldest chunk is freed once every entry in it is dropped.
#[derive(Debug, Default)]
struct Chunks {
    chunks: VecDeque<Vec<Entry>>,
    /// Entries of the first chunk already dropped.
    head: usize,
}

impl Chunks {
    fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum::<usize>() - self.head
    }

    fn push(&mut self, entry: Entry) {
        match self.chunks.back_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(entry);
                self.chunks.push_back(chunk);
            }
        }
    }

    fn front(&self) -> Option<&Entry> {
        self.chunks.front()?.get(self.head)
    }

    fn pop_front(&mut self) -> Option<Entry> {
        let entry = *self.front()?;
        self.head += 1;
        // Only the last chunk is ever short, so a chunk read to its end is done with.
        if self
            .chunks
            .front()
            .is_some_and(|chunk| self.head == chunk.len())
        {
            self.chunks.pop_front();
            self.head = 0;
        }
        Some(entry)
    }

    fn newest_first(&self) -> impl Iterator<Item = &Entry> {
        let len = self.len();
        self.chunks
            .iter()
            .rev()
            .flat_map(|chunk| chunk.iter().rev())
            .take(len)
    }
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

fn time(millis: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(millis)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);
    const DAYS: Duration = Duration::from_secs(72 * 3600);

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn sent(platform: Platform, target: Target, hours_ago: u32) -> Sent {
        Sent {
            platform,
            target,
            fact: FactId::new_unchecked("a"),
            lang: Lang::EN,
            sent_at: now() - HOUR * hours_ago,
        }
    }

    fn message(channel: &str, message: &str) -> Target {
        Target::Message {
            channel: channel.into(),
            message: message.into(),
        }
    }

    fn interaction(token: &str, expires: SystemTime) -> Target {
        Target::Interaction {
            application: "9".into(),
            token: token.to_owned().into(),
            expires,
        }
    }

    fn about_a(record: &Record) -> Vec<String> {
        let change = AnswerChange {
            fact: FactId::new_unchecked("a"),
            langs: vec![Lang::EN],
            retracted: false,
        };
        record
            .about(&[change], now(), DAYS)
            .iter()
            .map(|sent| match &sent.target {
                Target::Message { channel, message } => format!("{channel}/{message}"),
                Target::Interaction { token, .. } => token.expose_secret().to_owned(),
                Target::Expired => "expired".into(),
                Target::Uneditable => "uneditable".into(),
            })
            .collect()
    }

    #[test]
    fn an_entry_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 32);
    }

    #[test]
    fn replies_come_back_as_filed_newest_first() {
        let mut record = Record::default();
        let soon = now() + HOUR;
        record.file(sent(
            Platform::Discord,
            message("123", "1234567890123456789"),
            5,
        ));
        record.file(sent(
            Platform::Slack,
            message("C0123ABCD", "1712345678.123456"),
            4,
        ));
        record.file(sent(Platform::Slack, message("c-odd", "0042"), 3));
        record.file(sent(Platform::Discord, interaction("secret", soon), 2));
        record.file(sent(Platform::Slack, Target::Uneditable, 1));
        let other = Sent {
            fact: FactId::new_unchecked("b"),
            ..sent(Platform::Discord, message("1", "2"), 0)
        };
        record.file(other);
        assert_eq!(
            about_a(&record),
            [
                "uneditable",
                "secret",
                "c-odd/0042",
                "C0123ABCD/1712345678.123456",
                "123/1234567890123456789"
            ]
        );
        let found = record.about(
            &[AnswerChange {
                fact: FactId::new_unchecked("a"),
                langs: vec![Lang::ES],
                retracted: false,
            }],
            now(),
            DAYS,
        );
        assert!(found.is_empty(), "only replies in a changed language");
    }

    #[test]
    fn old_replies_and_those_over_the_cap_go_with_their_side_lines() {
        let mut record = Record::default();
        record.file(sent(Platform::Slack, message("c-odd", "x"), 80));
        record.file(sent(Platform::Discord, interaction("t", now() + HOUR), 79));
        for hours_ago in (0..3000).rev() {
            record.file(sent(Platform::Discord, message("1", "2"), hours_ago % 70));
        }
        record.tidy(now(), DAYS, 10_000);
        assert_eq!(record.entries.len(), 3000);
        assert!(record.texts.is_empty() && record.tokens.is_empty());
        record.tidy(now(), DAYS, 900);
        assert_eq!(record.entries.len(), 899, "room for one more");
        assert_eq!(record.entries.chunks.len(), 1, "emptied chunks are freed");
        record.tidy(now() + DAYS * 2, DAYS, 900);
        assert_eq!(record.entries.len(), 0);
        assert!(
            record.facts.is_empty(),
            "the fact ids go with the last reply"
        );
    }

    #[test]
    fn an_expired_token_is_forgotten_and_its_reply_still_counted() {
        let mut record = Record::default();
        record.file(sent(Platform::Discord, interaction("old", now() - HOUR), 2));
        record.file(sent(
            Platform::Discord,
            interaction("live", now() + HOUR),
            1,
        ));
        assert_eq!(
            about_a(&record),
            ["live", "expired"],
            "never tried once expired"
        );
        record.tidy(now(), DAYS, 1000);
        assert_eq!(record.tokens.len(), 1, "the expired token is gone");
        assert_eq!(&*record.tokens[0].application, "9");
        assert_eq!(about_a(&record), ["live", "expired"]);
    }
}
