//! Class codes (the secret a class link carries) and public ids (what walls and filters
//! show): their shapes, and how they are drawn.

#[cfg(doc)]
use crate::ClassSession;

/// The characters of class codes: lowercase letters and digits without look-alikes (no `i`,
/// `l`, `o`, `0`, `1`): 31 characters.
pub const CLASS_CODE_ALPHABET: &str = "abcdefghjkmnpqrstuvwxyz23456789";
/// The length of class codes: 17 characters of [`CLASS_CODE_ALPHABET`] carry
/// 17 × log2(31) ≈ 84.2 bits, above the 80 a class link needs to be unguessable.
pub const CLASS_CODE_LEN: usize = 17;

/// The columns a [`ClassSession`] is read from, in every query that reads one.
pub(crate) const CLASS_COLUMNS: &str = "id, campaign, code, class_name, school, region, is_open, chat_key, owner_key, link_code, is_group, public_id, \
     platform, opened_at";

/// The length of a class's public id (lowercase hex): 64 random bits, so a class wall is not
/// found by counting, and nothing about its code or link in it.
pub const CLASS_PUBLIC_ID_LEN: usize = 16;

/// Whether `s` has the shape of a class's public id ([`ClassSession::public_id`]).
pub fn is_class_public_id(s: &str) -> bool {
    s.len() == CLASS_PUBLIC_ID_LEN && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new class's public id: [`CLASS_PUBLIC_ID_LEN`] hex digits from the thread's CSPRNG,
/// independent of its code (knowing one tells nothing of the other).
pub(crate) fn class_public_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}

/// Whether `s` has the shape of a code this store issues (the doors refuse anything else
/// before a query is made with it).
pub fn is_class_code(s: &str) -> bool {
    s.len() == CLASS_CODE_LEN && s.bytes().all(|b| CLASS_CODE_ALPHABET.as_bytes().contains(&b))
}

/// A class code: [`CLASS_CODE_LEN`] characters drawn uniformly from [`CLASS_CODE_ALPHABET`]
/// by the thread's CSPRNG (`rand::rng()`), short enough for a deep link (`classe_<code>`)
/// and a 64-byte callback (`j:<code>`, 19 bytes).
pub(crate) fn class_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = CLASS_CODE_ALPHABET.as_bytes();
    let mut rng = rand::rng();
    (0..CLASS_CODE_LEN).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_codes_carry_at_least_80_bits_and_do_not_repeat() {
        let alphabet: std::collections::BTreeSet<u8> = CLASS_CODE_ALPHABET.bytes().collect();
        assert_eq!(alphabet.len(), CLASS_CODE_ALPHABET.len(), "no character twice");
        let bits = CLASS_CODE_LEN as f64 * (alphabet.len() as f64).log2();
        assert!(bits >= 80.0, "{CLASS_CODE_LEN} characters of {} carry only {bits:.1} bits", alphabet.len());

        let codes: std::collections::HashSet<String> = (0..10_000).map(|_| class_code()).collect();
        assert_eq!(codes.len(), 10_000, "10,000 codes, all different");
        let mut seen = std::collections::BTreeSet::new();
        for code in &codes {
            assert!(is_class_code(code), "{code}");
            assert!(format!("j:{code}").len() <= 64, "a Telegram callback_data holds it: {code}");
            seen.extend(code.bytes());
        }
        assert_eq!(seen, alphabet, "every character of the alphabet is drawn");
    }
}
