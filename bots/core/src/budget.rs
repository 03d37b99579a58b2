//! One budget of memory in flight for the whole process: uploaded bytes, decoded pixels and
//! certificate packs take their share before they exist, and give it back when dropped.
//!
//! Why: on Jeudi perséVERT every school sends photos at once, and a stranger may send twenty
//! at a time. Each door already caps one request (20 MB, 40 megapixels); this caps their sum,
//! so any mix of requests keeps a process within its memory (DESIGN: « one budget of bytes and
//! decoded pixels in flight per process »). A request that finds the budget spent waits
//! briefly, then is told to try again in a moment: nothing is half-done.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The budget's unit: shares are counted in KiB (a semaphore holds at most `u32::MAX` permits
/// per acquisition).
const UNIT: u64 = 1024;

/// How long a request waits for its share before it is told to come back.
pub const BUDGET_WAIT: Duration = Duration::from_secs(3);

/// Bytes in flight, process-wide.
#[derive(Debug, Clone)]
pub struct Budget {
    units: Arc<Semaphore>,
    total: u64,
}

/// A share of the [`Budget`], given back when dropped.
#[derive(Debug)]
pub struct Share {
    _permit: OwnedSemaphorePermit,
    bytes: u64,
}

impl Share {
    /// The bytes this share holds.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Default for Budget {
    /// 128 MiB: a dozen phone photos being received or framed at once, or a few and a
    /// certificate pack, above a process's ~100 MB at rest and the drawing cores' own
    /// buffers, under the 500 MB it must stay within (see the README's Thursday morning).
    fn default() -> Self {
        Self::new(128 << 20)
    }
}

impl Budget {
    /// A budget of `bytes` in flight.
    pub fn new(bytes: u64) -> Self {
        let units = (bytes / UNIT).clamp(1, u64::from(u32::MAX >> 3));
        Self { units: Arc::new(Semaphore::new(units as usize)), total: units * UNIT }
    }

    /// The whole budget, in bytes.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// What is free now, in bytes.
    pub fn available(&self) -> u64 {
        self.units.available_permits() as u64 * UNIT
    }

    /// A share of `bytes` (at most the whole budget), waiting up to `wait` for it; `None` when
    /// the budget stayed spent.
    pub async fn take(&self, bytes: u64, wait: Duration) -> Option<Share> {
        let bytes = bytes.clamp(1, self.total);
        let units = u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX);
        let permit = tokio::time::timeout(wait, self.units.clone().acquire_many_owned(units)).await.ok()?.ok()?;
        metrics::gauge!("ruban_budget_bytes_in_flight").set((self.total - self.available()) as f64);
        Some(Share { _permit: permit, bytes })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Budget;

    #[tokio::test]
    async fn shares_past_the_budget_wait_then_are_refused_and_come_back_when_dropped() {
        let budget = Budget::new(10 << 20);
        let a = budget.take(6 << 20, Duration::ZERO).await.expect("room");
        assert!(budget.take(6 << 20, Duration::from_millis(20)).await.is_none(), "spent");
        let b = budget.take(4 << 20, Duration::ZERO).await.expect("the rest");
        assert_eq!(budget.available(), 0);
        drop(a);
        assert!(budget.take(6 << 20, Duration::ZERO).await.is_some(), "given back");
        // More than the whole budget takes the whole budget, once the rest is free.
        drop(b);
        let all = budget.take(u64::MAX, Duration::ZERO).await.expect("all of it");
        assert_eq!(all.bytes(), budget.total());
    }
}
