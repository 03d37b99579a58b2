//! Pixel buffers reused from one card to the next on the same thread.
//!
//! A card is 4.7 MB of pixels and 3.5 MB of RGB rows for the encoder. Allocated fresh for
//! every card, both come straight from the kernel (glibc maps blocks that large) and every
//! page faults in again: profiles of the adapters' benchmarks showed a fifth of all CPU time
//! in those copies and zero-fills. Each rendering thread keeps one spare of each instead; a
//! caller that is done with a pixmap hands it back with [`recycle`].

use std::cell::RefCell;

use tiny_skia::Pixmap;

thread_local! {
    static SPARE_PIXMAP: RefCell<Option<Pixmap>> = const { RefCell::new(None) };
    static SPARE_ROWS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A copy of `src`, written into this thread's spare pixmap when it has the same size.
pub(crate) fn copy_of(src: &Pixmap) -> Pixmap {
    let spare = SPARE_PIXMAP.with(|s| s.borrow_mut().take());
    match spare {
        Some(mut p) if p.width() == src.width() && p.height() == src.height() => {
            p.data_mut().copy_from_slice(src.data());
            p
        }
        _ => src.clone(),
    }
}

/// Gives a pixmap back to this thread for the next [`copy_of`]. Only the last one is kept.
pub fn recycle(pixmap: Pixmap) {
    SPARE_PIXMAP.with(|s| *s.borrow_mut() = Some(pixmap));
}

/// Runs `f` with this thread's row buffer resized to `len` bytes (old contents left in place:
/// `f` must overwrite all of it).
pub(crate) fn with_rows<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    SPARE_ROWS.with(|rows| match rows.try_borrow_mut() {
        Ok(mut rows) => {
            rows.resize(len, 0);
            f(&mut rows[..len])
        }
        // Re-entered (never today): a buffer of its own.
        Err(_) => f(&mut vec![0; len]),
    })
}
