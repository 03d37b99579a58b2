//! Pseudonymous keys: what the store keeps instead of platform user and chat ids.
//!
//! A key is HMAC-SHA256 of `platform:id` under a server secret. Without the secret a key cannot
//! be linked back to an account, and the same person on two platforms gets two unrelated keys.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Derives keys from platform ids with the server's secret.
#[derive(Clone)]
pub struct Pseudonymizer {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.write_str("Pseudonymizer(…)")
    }
}

impl Pseudonymizer {
    /// A pseudonymizer with this secret (from configuration; at least 16 bytes advised).
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self { secret: secret.as_ref().to_vec() }
    }

    fn key(&self, kind: &str, platform: &str, id: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(platform.as_bytes());
        mac.update(b"\0");
        mac.update(id.as_bytes());
        let bytes = mac.finalize().into_bytes();
        // 128 bits are plenty to avoid collisions and keep rows small.
        bytes[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The key of a person on a platform.
    pub fn person(&self, platform: &str, user_id: &str) -> String {
        self.key("person", platform, user_id)
    }

    /// A tag that proves the server made `data` for `purpose` (a signed card link).
    pub fn tag(&self, purpose: &str, data: &str) -> String {
        self.key("tag", purpose, data)
    }

    /// The key of a chat (group, channel, conversation) on a platform.
    pub fn chat(&self, platform: &str, chat_id: &str) -> String {
        self.key("chat", platform, chat_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_secret_dependent_and_not_the_id() {
        let p = Pseudonymizer::new("s3cret-s3cret-s3cret");
        let a = p.person("telegram", "12345");
        assert_eq!(a, p.person("telegram", "12345"));
        assert_ne!(a, p.person("discord", "12345"));
        assert_ne!(a, Pseudonymizer::new("other").person("telegram", "12345"));
        assert_ne!(a, p.chat("telegram", "12345"));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("12345"));
    }
}
