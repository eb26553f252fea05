//! The background side of corrections: the record of sent replies, and the paced edits after
//! a reload. One task owns the record (so recording takes no lock: a reply handler only puts
//! the record on a queue), another sends the edits one at a time, so neither ever holds up
//! an answer.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{broadcast, mpsc};

use super::record::Record;
use super::{plan, Edit, Plan, Sent};
use crate::config::CorrectionsConfig;
use crate::facts::FactId;
use crate::reload::{ReloadResult, Reloader};
use crate::reply::Reply;
use crate::store::Snapshot;

/// Replies remembered at most: a busy server's three days, with room to spare. The oldest go
/// first.
const RECORD_MAX: usize = 100_000;
/// Records waiting to be filed. A reply handler never waits for room: past this, the record
/// is dropped (and logged), and that reply will not be corrected.
const QUEUE: usize = 4096;

/// Why an edit did not go through. None of them is retried: a reply that cannot be edited now
/// is counted and left alone.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The message or its channel was deleted (Discord: 404, code 10008; Slack:
    /// `message_not_found`, `channel_not_found`).
    #[error("the message no longer exists")]
    Gone,
    /// The platform no longer accepts edits to it (an expired interaction token, an ephemeral
    /// message; Slack: `cant_update_message`).
    #[error("the reply can no longer be edited")]
    Expired,
    #[error("{0}")]
    Failed(String),
}

/// A platform's way to replace an earlier reply with a new one.
pub trait Editor: Send + Sync + 'static {
    /// The shortest time between two edits the platform allows; `corrections.pace_ms` is
    /// raised to it, so a low setting cannot run into the platform's rate limit.
    fn min_pace(&self) -> Duration {
        Duration::ZERO
    }

    fn edit(
        &self,
        edit: &Edit,
        reply: &Reply,
    ) -> impl Future<Output = Result<(), EditError>> + Send;
}

/// Files the replies an adapter sends. Cheap to clone; recording never waits.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// `None` when corrections are turned off: nothing is recorded then.
    queue: Option<mpsc::Sender<Sent>>,
}

impl Recorder {
    /// A recorder that keeps nothing, for a bot with corrections turned off.
    pub fn disabled() -> Self {
        Self::default()
    }

    pub fn record(&self, sent: Sent) {
        if let Some(queue) = &self.queue {
            if queue.try_send(sent).is_err() {
                tracing::warn!("the corrections queue is full; a reply will not be corrected");
            }
        }
    }
}

/// What the corrections after one reload did, for the log channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Per fact: replies corrected, and replies that could not be edited.
    pub facts: BTreeMap<FactId, (usize, usize)>,
    /// Replies over `max_per_reload`, not sent.
    pub capped: usize,
    pub max_per_reload: usize,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.capped == 0
    }

    pub fn corrected(&self) -> usize {
        self.facts.values().map(|(corrected, _)| corrected).sum()
    }

    pub fn failed(&self) -> usize {
        self.facts.values().map(|(_, failed)| failed).sum()
    }

    /// "Corrected 12 earlier answers about huawei-training; 2 could not be edited", a line per
    /// fact, and how many were over the cap.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (fact, (corrected, failed)) in &self.facts {
            let plural = if *corrected == 1 { "" } else { "s" };
            let _ = write!(
                text,
                "Corrected {corrected} earlier answer{plural} about {fact}"
            );
            if *failed > 0 {
                let _ = write!(text, "; {failed} could not be edited");
            }
            text.push('\n');
        }
        if self.capped > 0 {
            let _ = writeln!(
                text,
                "{} more were not corrected: at most {} edits are sent per reload (corrections.max_per_reload)",
                self.capped, self.max_per_reload
            );
        }
        text.trim_end().to_owned()
    }

    fn tally(&mut self, fact: &FactId) -> &mut (usize, usize) {
        self.facts.entry(fact.clone()).or_default()
    }
}

/// Sends the edits of `plan`, one every `pace`, each showing the fact as `snapshot` has it
/// with the correction marker dated `today` (ISO). Expired and failed edits are counted.
pub async fn apply<E: Editor>(
    plan: Plan,
    snapshot: &Snapshot,
    editor: &E,
    pace: Duration,
    today: &str,
) -> Report {
    let mut report = Report {
        capped: plan.capped.len(),
        ..Report::default()
    };
    for fact in &plan.expired {
        report.tally(fact).1 += 1;
    }
    for (number, edit) in plan.edits.iter().enumerate() {
        if number > 0 {
            tokio::time::sleep(pace).await;
        }
        let result = match snapshot.base.index_of(edit.fact.as_str()) {
            Some(index) => {
                let reply = Reply::corrected(&snapshot.base, index, edit.lang, today);
                editor.edit(edit, &reply).await
            }
            None => Err(EditError::Failed("the fact is gone".into())),
        };
        let tally = report.tally(&edit.fact);
        match result {
            Ok(()) => tally.0 += 1,
            Err(error) => {
                tracing::info!(fact = %edit.fact, "an earlier reply was not corrected: {error}");
                tally.1 += 1;
            }
        }
    }
    report
}

/// Starts correcting: records replies from the returned [`Recorder`], and after each reload
/// that changes or retracts an answer, edits the earlier replies about it through `editor`,
/// then hands `on_report` what it did. Must be called inside a Tokio runtime. With
/// corrections turned off it starts nothing and the recorder keeps nothing.
pub fn start<E: Editor>(
    config: &CorrectionsConfig,
    reloader: &Arc<Reloader>,
    editor: E,
    on_report: impl Fn(Report) + Send + 'static,
) -> Recorder {
    if !config.enabled {
        return Recorder::disabled();
    }
    let (queue, records) = mpsc::channel(QUEUE);
    let (plans, planned) = mpsc::unbounded_channel();
    tokio::spawn(keep_record(
        config.clone(),
        Arc::clone(reloader),
        records,
        plans,
    ));
    tokio::spawn(send_edits(config.clone(), editor, planned, on_report));
    Recorder { queue: Some(queue) }
}

/// Owns the record: files each sent reply, and turns each reload's changes into a plan.
async fn keep_record(
    config: CorrectionsConfig,
    reloader: Arc<Reloader>,
    mut records: mpsc::Receiver<Sent>,
    plans: mpsc::UnboundedSender<(Plan, Arc<Snapshot>)>,
) {
    let mut events = reloader.subscribe();
    let mut record = Record::default();
    loop {
        tokio::select! {
            sent = records.recv() => {
                let Some(sent) = sent else { break };
                record.tidy(SystemTime::now(), config.window(), RECORD_MAX);
                record.file(sent);
            }
            event = events.recv() => {
                let attempt = match event {
                    Ok(attempt) => attempt,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                let ReloadResult::Reloaded(report) = &attempt.result else { continue };
                if report.corrections.is_empty() {
                    continue;
                }
                let now = SystemTime::now();
                record.tidy(now, config.window(), RECORD_MAX);
                let sent = record.about(&report.corrections, now, config.window());
                let plan = plan(&report.corrections, &sent, now, &config);
                if plan.edits.is_empty() && plan.capped.is_empty() && plan.expired.is_empty() {
                    continue;
                }
                if plans.send((plan, reloader.store().snapshot())).is_err() {
                    break;
                }
            }
        }
    }
}

/// Sends the plans' edits, one plan after another, so the pace holds across reloads.
async fn send_edits<E: Editor>(
    config: CorrectionsConfig,
    editor: E,
    mut planned: mpsc::UnboundedReceiver<(Plan, Arc<Snapshot>)>,
    on_report: impl Fn(Report),
) {
    while let Some((plan, snapshot)) = planned.recv().await {
        let today = crate::clock::date(crate::clock::now());
        let pace = config.pace().max(editor.min_pace());
        let mut report = apply(plan, &snapshot, &editor, pace, &today).await;
        report.max_per_reload = config.max_per_reload;
        tracing::info!(
            corrected = report.corrected(),
            failed = report.failed(),
            capped = report.capped,
            "corrections sent"
        );
        on_report(report);
    }
}
