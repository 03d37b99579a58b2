//! Rendered images and files shown in the pages, kept in the store and served at
//! `/media/{id}` by whichever process the browser reaches.
//!
//! An id is 128 bits from a CSPRNG (the thread's `rand::rng()`), hex-encoded: knowing one
//! image's address tells nothing about another's. Each item names the person it was made for,
//! so forget-me deletes it; every item goes after a day ([`ruban_store::WEB_STATE_LIFE_MS`]).

use ruban_store::{Store, StoreError};

/// The content type served for a file name's extension.
pub(crate) fn content_type(file_name: &str) -> (&'static str, String) {
    let ext = file_name.rsplit('.').next().unwrap_or("bin").to_ascii_lowercase();
    let content_type = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    };
    (content_type, ext)
}

/// Keeps `bytes` for `owner_key` and returns the id it is served under (with the file's
/// extension).
pub(crate) async fn put(
    store: &Store,
    bytes: &[u8],
    file_name: &str,
    owner_key: Option<&str>,
) -> Result<String, StoreError> {
    let (content_type, ext) = content_type(file_name);
    let ext: String = ext.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
    let id = format!("{}.{ext}", random_id());
    store.put_media(&id, content_type, bytes, owner_key).await?;
    Ok(id)
}

/// Whether `id` has the shape [`put`] gives (the door refuses anything else before a query).
pub(crate) fn is_media_id(id: &str) -> bool {
    match id.split_once('.') {
        Some((hex, ext)) => {
            hex.len() == 32
                && hex.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                && (1..=8).contains(&ext.len())
                && ext.bytes().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
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
        let (a, b) = (format!("{}.png", random_id()), format!("{}.png", random_id()));
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert!(is_media_id(id), "{id}");
            let (hex, ext) = id.split_once('.').unwrap();
            assert_eq!(ext, "png");
            assert_eq!(hex.len() * 4, 128, "{id}");
        }
        // Two ids made one after the other share no long prefix (a counter or a clock would).
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        assert!(common < 12, "{a} {b}");
        for bad in ["", "x.png", "../etc/passwd", &format!("{}.p/g", random_id()), &random_id()] {
            assert!(!is_media_id(bad), "{bad}");
        }
    }
}
