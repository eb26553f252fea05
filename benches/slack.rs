//! Latency of `factbot run` on Slack over loopback, to set beside `benches/discord.rs`: not a
//! test, a measurement for the issue note. Run with `cargo bench --bench slack`.
//!
//! It starts the fake Slack, runs the release `factbot` binary against it (Slack only, history
//! off, as the Discord bench's "history off" run) with the bundled facts, sends 1,000 mentions
//! one at a time, and reports the time from the fake sending the Socket Mode envelope to the
//! bot's `chat.postMessage` call (median and tail). That covers the websocket frame, the ack,
//! parsing, matching, laying out Block Kit and the HTTP request on loopback.

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/fake_slack.rs"]
mod fake_slack;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_slack::{FakeSlack, APP_TOKEN, BOT_TOKEN};

const QUESTIONS: usize = 1000;
const ASKED: [&str; 8] = [
    "when did Boluarte go to China?",
    "who did she meet?",
    "what did Huawei agree to?",
    "when did she return to Peru?",
    "how do I make a pisco sour?",
    "what about the Chancay port?",
    "why was she criticised by the press?",
    "did she visit Japan?",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` ask for a listing
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(measure());
}

async fn measure() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("facts");
    let config = dir.path().join("factbot.toml");
    std::fs::write(
        &config,
        format!(
            "facts = {:?}\n[history]\nenabled = false\n[slack]\nuser_cooldown_secs = 0\nchannel_max_answers = 0\n",
            facts.display().to_string()
        ),
    )
    .expect("config");
    let mut bot = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(["run", "--config"])
        .arg(&config)
        .current_dir(dir.path())
        .env_remove("DISCORD_TOKEN")
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_APP_TOKEN", APP_TOKEN)
        .env("FACTBOT_SLACK_API_URL", fake.api_url())
        .env_remove("RUST_LOG")
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn factbot");
    fake.wait_connected(1, Duration::from_secs(20)).await;
    let mut latencies = Vec::with_capacity(QUESTIONS);
    for i in 0..QUESTIONS {
        let envelope = fake.mention(
            &format!("e{i}"),
            &format!("U0MEMBER{:02}", i % 50),
            "C0NEWS001",
            &format!("1720000000.{i:06}"),
            ASKED[i % ASKED.len()],
        );
        let sent = Instant::now();
        fake.send(envelope);
        let reply = fake.next("chat.postMessage", Duration::from_secs(5)).await;
        latencies.push(reply.at.duration_since(sent));
    }
    latencies.sort_unstable();
    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let status = bot.wait().expect("wait for factbot");
    println!(
        "slack: questions: {QUESTIONS} (one at a time, {} distinct)",
        ASKED.len()
    );
    println!(
        "envelope -> chat.postMessage: median {:?}, p90 {:?}, p99 {:?}, max {:?}, min {:?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
        latencies[0]
    );
    println!("SIGTERM -> exit {status}");
}
