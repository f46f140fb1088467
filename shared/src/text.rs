//! Vietnamese text for machines: a folded search key ("Nguyễn Văn Đức" → "nguyen van duc") so
//! searches typed without diacritics find names written with them, and a sort key that orders
//! names the Vietnamese way — by given name (the last word), then the rest, in the alphabet
//! a ă â b c d đ e ê … o ô ơ … u ư …, tones breaking ties. Both are stored and indexed.

use unicode_normalization::UnicodeNormalization;

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const CIRCUMFLEX: char = '\u{302}';
const TILDE: char = '\u{303}';
const BREVE: char = '\u{306}';
const HOOK: char = '\u{309}';
const HORN: char = '\u{31B}';
const DOT_BELOW: char = '\u{323}';

/// A name as shown to someone who may not read the person's record: the family name (the first
/// word) in full and the initial of every other word: "Huỳnh Minh Anh" → "Huỳnh M. A.".
pub fn masked_name(full_name: &str) -> String {
    let mut words = full_name.split_whitespace();
    let mut out = words.next().unwrap_or_default().to_owned();
    for word in words {
        let initial: String = word.nfc().take(1).flat_map(char::to_uppercase).collect();
        out.push(' ');
        out.push_str(&initial);
        out.push('.');
    }
    out
}

/// Lowercase, no diacritics, `đ` → `d`, single spaces: what searches compare.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'đ' | 'Đ' => out.push('d'),
            c if ('\u{300}'..='\u{36F}').contains(&c) => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim_end().to_owned()
}

/// One letter's primary weight (base letter and its variant) and its tone.
fn weigh(word: &str, primary: &mut String, tones: &mut String) {
    let mut chars = word.nfd().peekable();
    while let Some(c) = chars.next() {
        let (base, mut variant) = match c {
            'đ' | 'Đ' => ('d', '1'),
            c => (c.to_lowercase().next().unwrap_or(c), '0'),
        };
        let mut tone = '0';
        while let Some(&m) = chars.peek() {
            match m {
                BREVE => variant = '1',
                CIRCUMFLEX => variant = '2',
                HORN => variant = '3',
                GRAVE => tone = '1',
                HOOK => tone = '2',
                TILDE => tone = '3',
                ACUTE => tone = '4',
                DOT_BELOW => tone = '5',
                m if ('\u{300}'..='\u{36F}').contains(&m) => {}
                _ => break,
            }
            chars.next();
        }
        primary.push(base);
        primary.push(variant);
        tones.push(tone);
    }
}

/// The key a list of people is sorted by: given name first, then family and middle names,
/// letters in Vietnamese order, tones last.
pub fn name_sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let Some((given, rest)) = words.split_last() else { return String::new() };
    let (mut primary, mut tones) = (String::new(), String::new());
    for word in std::iter::once(given).chain(rest.iter()) {
        weigh(word, &mut primary, &mut tones);
        primary.push(' ');
    }
    format!("{}|{tones}", primary.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_diacritics_and_case() {
        for typed in ["nguyen van duc", "Nguyễn Văn Đức", "NGUYEN VAN ĐUC", "  nguyễn   văn đức "] {
            assert_eq!(fold(typed), "nguyen van duc", "{typed}");
        }
        assert_eq!(fold("Nguye\u{302}\u{303}n"), "nguyen", "decomposed input folds the same");
        assert_eq!(fold("H'Hen Niê"), "h'hen nie");
    }

    #[test]
    fn names_sort_by_given_name_then_the_rest() {
        let mut names = vec!["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Phạm Thị Ánh", "Đỗ Đức Anh"];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(names, ["Lê Văn An", "Nguyễn Thị An", "Đỗ Đức Anh", "Phạm Thị Ánh", "Trần Văn Bình"]);
    }

    #[test]
    fn the_vietnamese_alphabet_orders_letters_with_marks_after_their_base() {
        let mut given = vec!["Ơn", "Ôn", "On", "Đan", "Dan", "Ân", "Ăn", "An", "Ưng", "Ung"];
        given.sort_by_key(|n| name_sort_key(n));
        assert_eq!(given, ["An", "Ăn", "Ân", "Dan", "Đan", "On", "Ôn", "Ơn", "Ung", "Ưng"]);
    }

    #[test]
    fn a_masked_name_keeps_the_family_name_and_the_initials() {
        assert_eq!(masked_name("Huỳnh Minh Anh"), "Huỳnh M. A.");
        assert_eq!(masked_name("Nguyễn Văn Đức"), "Nguyễn V. Đ.");
        assert_eq!(masked_name("H'Hen Niê"), "H'Hen N.");
        assert_eq!(masked_name("Lan"), "Lan");
    }
}
