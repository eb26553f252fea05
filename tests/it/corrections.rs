//! Corrections end to end on the platform-free side: replies are recorded, a facts file is
//! edited while the service runs, and the earlier replies are edited through an `Editor`
//! (here a fake that records what it was asked to do, and can pretend a message was deleted).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use factbot::config::CorrectionsConfig;
use factbot::corrections::{
    self, Edit, EditError, Editor, Platform, Recorder, Report, Sent, Target,
};
use factbot::facts::FactId;
use factbot::lang::Lang;
use factbot::matcher::MatchSettings;
use factbot::reload::{Reloader, Trigger};
use factbot::reply::{Reply, ReplyKind};
use factbot::store::FactStore;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(10);

/// Edits as the fake platform got them: the message id and the reply.
type Edits = Arc<Mutex<Vec<(String, Reply)>>>;

struct FakeEditor {
    edits: Edits,
    /// Message ids the fake answers with "unknown message".
    deleted: Vec<String>,
}

impl Editor for FakeEditor {
    async fn edit(&self, edit: &Edit, reply: &Reply) -> Result<(), EditError> {
        let Target::Message { message, .. } = &edit.target else {
            return Err(EditError::Expired);
        };
        if self.deleted.iter().any(|deleted| **deleted == **message) {
            return Err(EditError::Gone);
        }
        self.edits
            .lock()
            .unwrap()
            .push((message.to_string(), reply.clone()));
        Ok(())
    }
}

fn fact(id: &str, answer: &str, extra: &str) -> String {
    format!("[[facts]]\nid = \"{id}\"\nquestions = [\"What about {id}?\"]\nanswer = \"{answer}\"\nsnippet = \"S\"\n{extra}\n")
}

fn write(dir: &Path, facts: &str) {
    let text = format!("[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n{facts}");
    std::fs::write(dir.join("f.toml"), text).unwrap();
}

struct Bot {
    dir: tempfile::TempDir,
    reloader: Arc<Reloader>,
    recorder: Recorder,
    edits: Edits,
    reports: mpsc::UnboundedReceiver<Report>,
}

impl Bot {
    fn start(facts: &str, config: CorrectionsConfig, deleted: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), facts);
        let store =
            FactStore::open(vec![dir.path().to_path_buf()], MatchSettings::default()).unwrap();
        let reloader = Arc::new(Reloader::new(Arc::new(store)));
        let edits = Edits::default();
        let editor = FakeEditor {
            edits: Arc::clone(&edits),
            deleted: deleted.iter().map(|id| (*id).to_owned()).collect(),
        };
        let (reports_in, reports) = mpsc::unbounded_channel();
        let recorder = corrections::start(&config, &reloader, editor, move |report| {
            let _ = reports_in.send(report);
        });
        Self {
            dir,
            reloader,
            recorder,
            edits,
            reports,
        }
    }

    fn sent(&self, fact: &str, message: &str, lang: Lang) {
        self.recorder.record(Sent {
            platform: Platform::Discord,
            target: Target::Message {
                channel: "100".into(),
                message: message.into(),
            },
            fact: FactId::new(fact).unwrap(),
            lang,
            sent_at: SystemTime::now(),
        });
    }

    async fn edit_facts(&mut self, facts: &str) {
        // Let the recorder file what was sent before the reload reads the record.
        tokio::time::sleep(Duration::from_millis(50)).await;
        write(self.dir.path(), facts);
        self.reloader.reload(Trigger::FileChange).await;
    }

    async fn report(&mut self) -> Report {
        tokio::time::timeout(WAIT, self.reports.recv())
            .await
            .expect("a report in time")
            .unwrap()
    }

    fn edits(&self) -> Vec<(String, Reply)> {
        self.edits.lock().unwrap().clone()
    }
}

fn fast() -> CorrectionsConfig {
    CorrectionsConfig {
        pace_ms: 1,
        ..CorrectionsConfig::default()
    }
}

#[tokio::test]
async fn a_changed_answer_edits_exactly_the_earlier_replies_about_it_with_the_note() {
    let mut bot = Bot::start(
        &(fact("huawei", "It trains 20,000 people.", "") + &fact("other", "Other.", "")),
        fast(),
        &[],
    );
    bot.sent("huawei", "1", Lang::EN);
    bot.sent("other", "2", Lang::EN);
    bot.sent("huawei", "3", Lang::ES);
    let corrected = fact(
        "huawei",
        "It trains 25,000 people.",
        "correction = \"An earlier version said 20,000; the agreement covers 25,000.\"",
    );
    bot.edit_facts(&(corrected + &fact("other", "Other.", "")))
        .await;
    let report = bot.report().await;
    assert_eq!(report.text(), "Corrected 2 earlier answers about huawei");
    let edits = bot.edits();
    let ids: Vec<&str> = edits.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["3", "1"],
        "newest first, never the other fact's reply"
    );
    let english = &edits[1].1;
    assert!(
        english
            .text
            .starts_with("It trains 25,000 people.\n\nCorrected on "),
        "{}",
        english.text
    );
    assert!(
        english
            .text
            .ends_with(": An earlier version said 20,000; the agreement covers 25,000."),
        "{}",
        english.text
    );
    let spanish = &edits[0].1;
    assert!(
        spanish.text.contains("Corregido el "),
        "the Spanish reply is corrected in Spanish: {}",
        spanish.text
    );
}

#[tokio::test]
async fn a_retraction_replaces_the_reply_with_the_notice() {
    let mut bot = Bot::start(&fact("a", "Twenty.", ""), fast(), &[]);
    bot.sent("a", "1", Lang::EN);
    bot.edit_facts(&fact(
        "a",
        "Twenty.",
        "status = \"retracted\"\nnote = \"The figure was wrong.\"",
    ))
    .await;
    assert_eq!(bot.report().await.corrected(), 1);
    let (_, reply) = &bot.edits()[0];
    assert_eq!(reply.kind, ReplyKind::Retracted);
    assert!(
        reply.text.starts_with(
            "The answer to \u{201C}What about a?\u{201D} has been retracted. The figure was wrong."
        ),
        "{}",
        reply.text
    );
    assert!(reply.quote.is_none(), "the retracted claim is not quoted");
}

#[tokio::test]
async fn a_whitespace_only_edit_sends_nothing() {
    let mut bot = Bot::start(&fact("a", "It trains 20,000 people.", ""), fast(), &[]);
    bot.sent("a", "1", Lang::EN);
    bot.edit_facts(&fact("a", "It  trains 20,000\\npeople. ", ""))
        .await;
    // A real change afterwards is reported first: nothing was queued before it.
    bot.edit_facts(&fact("a", "It trains 25,000 people.", ""))
        .await;
    let report = bot.report().await;
    assert_eq!(report.corrected(), 1);
    assert_eq!(bot.edits().len(), 1);
    assert!(bot.edits()[0].1.text.starts_with("It trains 25,000"));
}

#[tokio::test]
async fn a_deleted_message_is_skipped_and_counted() {
    let mut bot = Bot::start(&fact("a", "One.", ""), fast(), &["1"]);
    bot.sent("a", "1", Lang::EN);
    bot.sent("a", "2", Lang::EN);
    bot.edit_facts(&fact("a", "Two.", "")).await;
    let report = bot.report().await;
    assert_eq!(
        report.text(),
        "Corrected 1 earlier answer about a; 1 could not be edited"
    );
    assert_eq!(bot.edits().len(), 1);
}

#[tokio::test]
async fn more_than_max_per_reload_are_capped_and_reported() {
    let config = CorrectionsConfig {
        max_per_reload: 3,
        ..fast()
    };
    let mut bot = Bot::start(&fact("a", "One.", ""), config, &[]);
    for message in 1..=5 {
        bot.sent("a", &message.to_string(), Lang::EN);
    }
    bot.edit_facts(&fact("a", "Two.", "")).await;
    let report = bot.report().await;
    assert_eq!(
        report.text(),
        "Corrected 3 earlier answers about a\n2 more were not corrected: at most 3 edits are sent per reload (corrections.max_per_reload)"
    );
    assert_eq!(bot.edits().len(), 3);
}

#[tokio::test]
async fn turned_off_nothing_is_recorded_or_edited() {
    let config = CorrectionsConfig {
        enabled: false,
        ..fast()
    };
    let mut bot = Bot::start(&fact("a", "One.", ""), config, &[]);
    bot.sent("a", "1", Lang::EN);
    bot.edit_facts(&fact("a", "Two.", "")).await;
    let nothing = tokio::time::timeout(Duration::from_millis(300), bot.reports.recv()).await;
    assert!(matches!(nothing, Err(_) | Ok(None)), "no report");
    assert!(bot.edits().is_empty());
}
