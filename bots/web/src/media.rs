//! Rendered images and files, kept in memory and served at `/media/{id}`.
//!
//! Bounded in count and bytes (oldest out first), so a busy week does not grow the process.
//!
//! An id is 128 bits from a CSPRNG (the thread's `rand::rng()`), hex-encoded: knowing one
//! image's address tells nothing about another's.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// The media store.
pub struct MediaStore {
    inner: Mutex<Inner>,
    max_items: usize,
    max_bytes: usize,
}

struct Inner {
    items: VecDeque<(String, Arc<Vec<u8>>, &'static str)>,
    bytes: usize,
}

impl MediaStore {
    /// A store that keeps at most `max_items` items and `max_bytes` bytes.
    pub fn new(max_items: usize, max_bytes: usize) -> Self {
        Self { inner: Mutex::new(Inner { items: VecDeque::new(), bytes: 0 }), max_items, max_bytes }
    }

    /// Keeps `bytes` and returns its id (with the file's extension).
    pub fn put(&self, bytes: Arc<Vec<u8>>, file_name: &str) -> String {
        let ext = file_name.rsplit('.').next().unwrap_or("bin").to_ascii_lowercase();
        let content_type = match ext.as_str() {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "csv" => "text/csv; charset=utf-8",
            _ => "application/octet-stream",
        };
        let id = format!("{}.{ext}", random_id());
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.bytes += bytes.len();
        inner.items.push_back((id.clone(), bytes, content_type));
        while inner.items.len() > self.max_items || inner.bytes > self.max_bytes {
            match inner.items.pop_front() {
                Some((_, b, _)) => inner.bytes -= b.len(),
                None => break,
            }
        }
        id
    }

    /// The bytes and content type of an item.
    pub fn get(&self, id: &str) -> Option<(Arc<Vec<u8>>, &'static str)> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.items.iter().find(|(i, _, _)| i == id).map(|(_, b, t)| (b.clone(), *t))
    }
}

/// 128 bits from the thread's CSPRNG, as 32 lowercase hex digits.
fn random_id() -> String {
    use rand::Rng;
    format!("{:032x}", rand::rng().random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_128_random_bits_in_hex() {
        let media = MediaStore::new(10, 1 << 20);
        let a = media.put(Arc::new(vec![1]), "card.png");
        let b = media.put(Arc::new(vec![1]), "card.png");
        assert_ne!(a, b);
        for id in [&a, &b] {
            let (hex, ext) = id.split_once('.').unwrap();
            assert_eq!(ext, "png");
            assert_eq!(hex.len() * 4, 128, "{id}");
            assert!(hex.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{id}");
        }
        // Two ids made one after the other share no long prefix (a counter or a clock would).
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        assert!(common < 12, "{a} {b}");
    }
}
