//! What the Discord scenarios share: asking the fake Discord for what the bot sent, and reading
//! the bodies, so every scenario file reads the same way.

use std::time::Duration;

use serde_json::Value;

use crate::fake_discord::{FakeDiscord, Origin, Recorded};

/// The next message the bot posted in `channel`.
pub async fn posted(fake: &FakeDiscord, channel: u64, within: Duration) -> Recorded {
    let path = format!("/api/v10/channels/{channel}/messages");
    fake.wait_for_request(move |r| r.method == "POST" && r.path == path, within)
        .await
}

/// The next interaction callback the bot sent.
pub async fn callback(fake: &FakeDiscord, within: Duration) -> Recorded {
    fake.wait_for_request(
        |r| r.method == "POST" && r.path.ends_with("/callback"),
        within,
    )
    .await
}

/// Dispatches a slash command as `origin` would send it.
pub async fn command(fake: &FakeDiscord, origin: &Origin, name: &str, options: Value) {
    let payload = fake.interaction_application_command(origin, name, options);
    fake.dispatch("INTERACTION_CREATE", payload).await;
}

/// The first embed's description.
pub fn description(body: &Value) -> &str {
    body["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
}

/// Every button's custom id, row by row.
pub fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|button| button["custom_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}
