//! The fleet view: every live factbot process writing one database, from the heartbeat row
//! each writes, and whether they all answer from the same facts.
//!
//! A bot in many servers runs as several processes, possibly on several machines, each with
//! its own copy of the facts folder. A moderator needs one line to know that every process has
//! taken the latest edit, and when one has not, which one and why (its reload error). Pure:
//! rows in, report out; the rows are written and read by the backends.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::clock;

/// What a process does not change while it runs: who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessInfo {
    /// `host:pid:start`: unique per run, so a restarted process is a new row.
    pub process_id: String,
    pub host: String,
    pub pid: u32,
    /// `[first, last, total]` when the process runs a shard range.
    pub shards: Option<[u32; 3]>,
    pub started_at: i64,
}

impl ProcessInfo {
    /// This process, started now, running `shards`.
    pub fn current(shards: Option<[u32; 3]>) -> Self {
        let host = host_name();
        let pid = std::process::id();
        let started_at = clock::now();
        Self {
            process_id: format!("{host}:{pid}:{started_at}"),
            host,
            pid,
            shards,
            started_at,
        }
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown-host".to_owned())
}

/// What a process's facts are now: read from the reloader at each heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FactsState {
    pub version: String,
    /// When the live facts were loaded (Unix seconds): the newest load wins "latest".
    pub loaded_at: i64,
    /// `reloaded`, `unchanged` or `failed`; `None` before the first reload.
    pub last_reload: Option<String>,
    /// The first problem of the last reload, when it failed.
    pub reload_error: Option<String>,
}

/// One process's heartbeat row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heartbeat {
    pub process_id: String,
    pub host: String,
    pub pid: u32,
    pub shard_first: Option<u32>,
    pub shard_last: Option<u32>,
    pub shard_total: Option<u32>,
    pub started_at: i64,
    pub seen_at: i64,
    /// The period of this process's heartbeats: three missed, and it is gone.
    pub beat_secs: u32,
    pub facts_version: String,
    pub facts_loaded_at: i64,
    pub last_reload: Option<String>,
    pub reload_error: Option<String>,
    /// Records dropped since start because its queue was full.
    pub dropped: u64,
    /// Records waiting in its queue for the database.
    pub waiting: u64,
}

impl Heartbeat {
    pub fn new(
        info: &ProcessInfo,
        facts: FactsState,
        every: Duration,
        dropped: u64,
        waiting: u64,
    ) -> Self {
        let [first, last, total] = info.shards.map_or([None; 3], |s| s.map(Some));
        Self {
            process_id: info.process_id.clone(),
            host: info.host.clone(),
            pid: info.pid,
            shard_first: first,
            shard_last: last,
            shard_total: total,
            started_at: info.started_at,
            seen_at: clock::now(),
            beat_secs: u32::try_from(every.as_secs().max(1)).unwrap_or(u32::MAX),
            facts_version: facts.version,
            facts_loaded_at: facts.loaded_at,
            last_reload: facts.last_reload,
            reload_error: facts.reload_error,
            dropped,
            waiting,
        }
    }

    /// Still beating at `now`: renewed within three of its periods.
    pub fn is_live(&self, now: i64) -> bool {
        self.seen_at + 3 * i64::from(self.beat_secs) >= now
    }

    /// "shards 0-1 of 4", or "all shards".
    fn shards_text(&self) -> String {
        match (self.shard_first, self.shard_last, self.shard_total) {
            (Some(first), Some(last), Some(total)) if first == last => {
                format!("shard {first} of {total}")
            }
            (Some(first), Some(last), Some(total)) => format!("shards {first}-{last} of {total}"),
            _ => "all shards".to_owned(),
        }
    }
}

/// One live process as the fleet view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    #[serde(flatten)]
    pub heartbeat: Heartbeat,
    /// Not on the latest facts version.
    pub behind: bool,
    /// Why it is behind, when it is.
    pub reason: Option<String>,
}

/// Every live process and whether they agree on the facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fleet {
    /// "3 processes, all on facts version 1397dc2aacb6", or who is behind.
    pub summary: String,
    /// The version loaded most recently by any process.
    pub latest_version: Option<String>,
    pub all_on_latest: bool,
    pub processes: Vec<Member>,
    /// When the view was read (Unix seconds).
    pub at: i64,
}

impl Fleet {
    /// The view of `rows` at `now`: stale rows left out, the newest load taken as the latest.
    pub fn build(rows: Vec<Heartbeat>, now: i64) -> Self {
        let live: Vec<Heartbeat> = rows.into_iter().filter(|row| row.is_live(now)).collect();
        let latest = live
            .iter()
            .max_by(|a, b| {
                (a.facts_loaded_at, &a.facts_version).cmp(&(b.facts_loaded_at, &b.facts_version))
            })
            .map(|row| row.facts_version.clone());
        let processes: Vec<Member> = live
            .into_iter()
            .map(|heartbeat| {
                let behind = latest
                    .as_ref()
                    .is_some_and(|latest| &heartbeat.facts_version != latest);
                let reason = behind.then(|| reason(&heartbeat, now));
                Member {
                    heartbeat,
                    behind,
                    reason,
                }
            })
            .collect();
        let behind = processes.iter().filter(|p| p.behind).count();
        let count = plural(processes.len(), "process", "processes");
        let summary = match &latest {
            None => "no live process has written a heartbeat".to_owned(),
            Some(latest) if behind == 0 => format!("{count}, all on facts version {latest}"),
            Some(latest) => format!(
                "{count}: {} on facts version {latest}, {behind} behind",
                processes.len() - behind
            ),
        };
        Self {
            summary,
            all_on_latest: behind == 0,
            latest_version: latest,
            processes,
            at: now,
        }
    }

    /// The summary, then one line per process (and its reason when behind).
    pub fn to_text(&self) -> String {
        let mut out = format!("Fleet: {}\n", self.summary);
        for member in &self.processes {
            let row = &member.heartbeat;
            let _ = write!(
                out,
                "  {} pid {} ({}): facts {}, up since {}, seen {}",
                row.host,
                row.pid,
                row.shards_text(),
                row.facts_version,
                clock::date_time(row.started_at),
                ago(self.at, row.seen_at)
            );
            if row.dropped > 0 || row.waiting > 0 {
                let _ = write!(
                    out,
                    "; {} record(s) waiting, {} dropped",
                    row.waiting, row.dropped
                );
            }
            out.push('\n');
            if let Some(reason) = &member.reason {
                let _ = writeln!(out, "    BEHIND: {reason}");
            }
        }
        out
    }
}

fn ago(now: i64, then: i64) -> String {
    clock::ago_text(Duration::from_secs(
        u64::try_from(now.saturating_sub(then)).unwrap_or(0),
    ))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why `row` is not on the latest version: its failed reload, or that it has not reloaded
/// since it loaded an older version.
fn reason(row: &Heartbeat, now: i64) -> String {
    match (&row.last_reload, &row.reload_error) {
        (_, Some(error)) => format!("its last reload failed: {error}"),
        (Some(_), None) => format!(
            "its facts were last loaded {}; it has not taken the newer version",
            ago(now, row.facts_loaded_at)
        ),
        (None, None) => format!(
            "no reload since it started {}; its facts folder may not have been updated",
            ago(now, row.started_at)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(id: &str, shard: u32, version: &str, loaded_at: i64, seen_at: i64) -> Heartbeat {
        Heartbeat {
            process_id: id.to_owned(),
            host: "h".to_owned(),
            pid: 7,
            shard_first: Some(shard),
            shard_last: Some(shard),
            shard_total: Some(3),
            started_at: 1000,
            seen_at,
            beat_secs: 10,
            facts_version: version.to_owned(),
            facts_loaded_at: loaded_at,
            last_reload: None,
            reload_error: None,
            dropped: 0,
            waiting: 0,
        }
    }

    #[test]
    fn a_fleet_on_one_version_says_so_in_one_line() {
        let now = 5000;
        let rows = (0..3)
            .map(|shard| beat(&format!("p{shard}"), shard, "1397dc2aacb6", 1000, now))
            .collect();
        let fleet = Fleet::build(rows, now);
        assert_eq!(
            fleet.summary,
            "3 processes, all on facts version 1397dc2aacb6"
        );
        assert!(fleet.all_on_latest);
        let text = fleet.to_text();
        assert!(
            text.contains("h pid 7 (shard 2 of 3): facts 1397dc2aacb6"),
            "{text}"
        );
    }

    #[test]
    fn the_one_behind_is_named_with_its_reload_error_and_stale_rows_age_out() {
        let now = 5000;
        let mut failed = beat("p1", 1, "old", 1000, now - 5);
        failed.last_reload = Some("failed".into());
        failed.reload_error = Some("story.toml:3:1: unknown key \"anser\"".into());
        let rows = vec![
            beat("p0", 0, "new", 4000, now),
            failed,
            beat("p2", 2, "new", 4001, now - 29),
            beat("gone", 2, "ancient", 9000, now - 31),
        ];
        let fleet = Fleet::build(rows, now);
        assert_eq!(
            fleet.processes.len(),
            3,
            "the row not seen for 3 periods is gone"
        );
        assert_eq!(fleet.latest_version.as_deref(), Some("new"));
        assert_eq!(
            fleet.summary,
            "3 processes: 2 on facts version new, 1 behind"
        );
        let behind = &fleet.processes[1];
        assert!(behind.behind);
        assert_eq!(
            behind.reason.as_deref(),
            Some("its last reload failed: story.toml:3:1: unknown key \"anser\"")
        );
        assert!(fleet
            .to_text()
            .contains("    BEHIND: its last reload failed"));
        let json = serde_json::to_value(&fleet).unwrap();
        assert_eq!(json["processes"][1]["facts_version"], "old");
        assert_eq!(json["processes"][1]["behind"], true);
    }

    #[test]
    fn an_empty_fleet_says_nobody_beats() {
        let fleet = Fleet::build(Vec::new(), 1);
        assert_eq!(fleet.summary, "no live process has written a heartbeat");
        assert!(fleet.all_on_latest && fleet.processes.is_empty());
    }
}
