//! Rendered images and files, kept in memory and served at `/media/{id}`.
//!
//! Bounded in count and bytes (oldest out first), so a busy week does not grow the process.

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
    next: u64,
}

impl MediaStore {
    /// A store that keeps at most `max_items` items and `max_bytes` bytes.
    pub fn new(max_items: usize, max_bytes: usize) -> Self {
        Self { inner: Mutex::new(Inner { items: VecDeque::new(), bytes: 0, next: 0 }), max_items, max_bytes }
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
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.next += 1;
        // Unguessable enough for a playground: a counter mixed with the time.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let id = format!("{:x}{:08x}.{ext}", inner.next, nanos);
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
