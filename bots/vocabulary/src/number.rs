//! Numbers as each language writes them.

use crate::Locale;

/// A whole number grouped by thousands as the locale writes it: `1 234` with a narrow no-break
/// space in French, `1,234` in English. (Fluent's NUMBER() does no grouping.)
pub fn format_number(locale: Locale, n: u64) -> String {
    let sep = match locale {
        Locale::FrCa => '\u{202F}',
        Locale::EnCa => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_locale() {
        assert_eq!(format_number(Locale::FrCa, 1234), "1\u{202F}234");
        assert_eq!(format_number(Locale::EnCa, 1_234_567), "1,234,567");
        assert_eq!(format_number(Locale::FrCa, 999), "999");
        assert_eq!(format_number(Locale::EnCa, 0), "0");
    }
}
