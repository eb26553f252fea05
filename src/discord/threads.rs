//! Which channel a thread belongs to, so the allow-list can judge a thread by its parent.
//!
//! An interaction carries its channel, parent included. A message carries only its channel's
//! id, and the bot's intents bring no channel events to a cache, so a message in a channel
//! outside the allow-list asks Discord once (`GET /channels/{id}`) whether it is a thread, and
//! the answer is kept: a thread never moves to another parent.

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use serenity::all::{Channel, ChannelId, ChannelType, Http, PartialChannel};

use super::retry;

/// Channels remembered before the memory starts over (a few hundred KiB at most).
const REMEMBERED: usize = 10_000;

/// Channel id → its parent if it is a thread, for channels the allow-list does not name.
/// Swapped whole on each new channel, so reading it takes no lock.
#[derive(Default)]
pub(crate) struct Parents(ArcSwap<HashMap<u64, Option<u64>>>);

impl Parents {
    /// The parent of `channel` if it is a thread; `None` for a channel, or when Discord
    /// cannot say (then asked again next time).
    pub(crate) async fn of(&self, http: &Http, channel: ChannelId) -> Option<u64> {
        if let Some(known) = self.0.load().get(&channel.get()) {
            return *known;
        }
        let parent = match retry::send("channel", || http.get_channel(channel)).await {
            Ok(Channel::Guild(found)) if is_thread(found.kind) => found.parent_id,
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(
                    channel = channel.get(),
                    "cannot tell whether the channel is a thread: {}",
                    retry::describe(&error)
                );
                return None;
            }
        };
        let parent = parent.map(|parent| parent.get());
        self.0.rcu(|known| {
            let mut known = if known.len() < REMEMBERED {
                HashMap::clone(known)
            } else {
                HashMap::new()
            };
            known.insert(channel.get(), parent);
            Arc::new(known)
        });
        parent
    }
}

/// The parent of an interaction's channel, if that channel is a thread.
pub(crate) fn parent_in(channel: Option<&PartialChannel>) -> Option<u64> {
    channel
        .filter(|channel| is_thread(channel.kind))
        .and_then(|channel| channel.parent_id)
        .map(|parent| parent.get())
}

fn is_thread(kind: ChannelType) -> bool {
    matches!(
        kind,
        ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
    )
}
