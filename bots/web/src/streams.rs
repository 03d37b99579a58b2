//! Caps on the walls' event streams (`/api/wall/events`), per client and in all.
//!
//! A stream stays open as long as the viewer watches, so without a cap one client could hold
//! every slot (one held 300 at once). A school behind one address shows a wall on a few
//! projectors, not dozens: the per-client cap leaves room for that. Counts are per process,
//! like the other per-minute limits; each process protects its own sockets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::auth::Client;

/// How many event streams may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Per client (IPv4 address, IPv6 /64).
    pub per_client: usize,
    /// In all, in this process.
    pub total: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self { per_client: 16, total: 2048 }
    }
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_client: HashMap<Client, usize>,
}

/// The open streams.
#[derive(Debug)]
pub(crate) struct Slots {
    limits: StreamLimits,
    counts: Arc<Mutex<Counts>>,
}

/// One open stream, counted until the stream (and this with it) is dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    counts: Arc<Mutex<Counts>>,
    client: Client,
}

impl Slots {
    pub(crate) fn new(limits: StreamLimits) -> Self {
        Self { limits, counts: Arc::default() }
    }

    /// A slot for one more stream of `client`, or `None` when a cap is reached.
    pub(crate) fn take(&self, client: Client) -> Option<Slot> {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let mine = c.per_client.get(&client).copied().unwrap_or(0);
        if c.total >= self.limits.total || mine >= self.limits.per_client {
            return None;
        }
        c.total += 1;
        *c.per_client.entry(client).or_insert(0) += 1;
        Some(Slot { counts: self.counts.clone(), client })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        c.total -= 1;
        if let Some(n) = c.per_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                c.per_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_per_client_and_in_all_and_free_on_drop() {
        let slots = Slots::new(StreamLimits { per_client: 2, total: 3 });
        let (a, b) = (Client::of([10, 0, 0, 1].into()), Client::of([10, 0, 0, 2].into()));
        let a1 = slots.take(a).unwrap();
        let _a2 = slots.take(a).unwrap();
        assert!(slots.take(a).is_none(), "a third stream for one client");
        let _b1 = slots.take(b).unwrap();
        assert!(slots.take(b).is_none(), "a fourth stream in all");
        drop(a1);
        assert!(slots.take(b).is_some(), "a closed stream frees its slot");
    }
}
