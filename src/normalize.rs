//! Text folding for matching, with a map back to the original text.
//!
//! In: any `&str`. Out: [`Normalized`], a folded copy used only for matching (lowercase, diacritics
//! removed, compatibility forms decomposed, letters without a decomposition spelled plainly
//! (`ø` → `o`, `ł` → `l`, `ß` → `ss`), curly quotes → `'`/`"`, hyphens and dashes → space (so
//! "Kim Jong-un", "Kim Jong Un" and "Leopard-2"/"Leopard 2" meet in one spelling), zero-width
//! characters dropped, every run of whitespace → one space) plus, for every folded byte, the byte
//! offset of the original character it came from.
//!
//! Guarantee: a folded range that starts and ends on *source-character boundaries* (see
//! [`Normalized::original_range`]) maps to exactly one original range, so a mention found in the
//! folded text is reported at its exact place in the original, whatever folding did. Case folding
//! never reuses the folded copy's offsets for the original: lengths may change ("İ", "ﬁ", "Ⅻ").
//!
//! Dictionary aliases go through the same [`fold`], so both sides of a match agree.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A folded text and the map from each of its bytes to the original byte offset.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The folded text. Only for matching; never shown to users.
    pub text: String,
    /// `src[i]` is the byte offset, in the original, of the character that produced folded byte `i`.
    src: Vec<u32>,
}

impl Normalized {
    /// Maps a folded byte range back to the original byte range, or `None` when the range starts or
    /// ends inside the expansion of one original character (then it matches only part of what the
    /// reader sees, and must not be reported).
    ///
    /// The end is extended over combining marks that folding dropped, so "Türkiye" written with a
    /// decomposed "ü" is reported whole.
    pub fn original_range(
        &self,
        original: &str,
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        let first = self.src[start];
        if start > 0 && self.src[start - 1] == first {
            return None;
        }
        let last = self.src[end - 1];
        if end < self.src.len() && self.src[end] == last {
            return None;
        }
        let last = last as usize;
        let mut orig_end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        for c in original[orig_end..].chars() {
            if !is_combining_mark(c) {
                break;
            }
            orig_end += c.len_utf8();
        }
        Some((first as usize, orig_end))
    }
}

/// What folding does with one character, before case and diacritics.
enum Class {
    Space,
    Drop,
    Replace(char),
    /// A letter that Unicode does not decompose into a base letter and a mark, spelled with
    /// plain letters as English-language news usually spells it ("Đoković", "Løkke", "Łukasz").
    Letters(&'static str),
    Fold,
}

fn classify(c: char) -> Class {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
            Class::Replace('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Class::Replace('"'),
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Class::Replace(' ')
        }
        // Soft hyphen, zero-width characters, and the ʻokina ("Hawaiʻi", "ʻAkilisi").
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{02BB}' => Class::Drop,
        'đ' | 'Đ' | 'ð' | 'Ð' => Class::Letters("d"),
        'ø' | 'Ø' => Class::Letters("o"),
        'ł' | 'Ł' => Class::Letters("l"),
        'ħ' | 'Ħ' => Class::Letters("h"),
        'ı' => Class::Letters("i"),
        'ß' | 'ẞ' => Class::Letters("ss"),
        'æ' | 'Æ' => Class::Letters("ae"),
        'œ' | 'Œ' => Class::Letters("oe"),
        'þ' | 'Þ' => Class::Letters("th"),
        c if c.is_whitespace() => Class::Space,
        c if c.is_control() => Class::Space,
        _ => Class::Fold,
    }
}

/// How folding treats each ASCII byte: kept (lowercased), a space, or a hyphen (a space that is
/// not collapsed). The same decisions as [`classify`] makes for these characters, as a table,
/// because most text is mostly ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Keep,
    Space,
    Hyphen,
}

static ASCII: [Ascii; 128] = {
    let mut table = [Ascii::Space; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c == b'-' {
            Ascii::Hyphen
        } else if c.is_ascii_alphanumeric() || c.is_ascii_punctuation() {
            Ascii::Keep
        } else {
            Ascii::Space
        };
        b += 1;
    }
    table
};

/// Whether each byte is an ASCII byte that folding keeps ([`Ascii::Keep`]): one lookup per byte
/// in the runs of kept text that most of a document is.
static KEPT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(ASCII[b], Ascii::Keep);
        b += 1;
    }
    table
};

/// Folds `original` for matching. See the module docs for what changes.
pub fn fold(original: &str) -> Normalized {
    let mut text: Vec<u8> = Vec::with_capacity(original.len() + 8);
    let mut src: Vec<u32> = Vec::with_capacity(original.len() + 8);
    let mut pending_space: Option<u32> = None;
    let bytes = original.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            match ASCII[b as usize] {
                Ascii::Keep => {
                    // A run of kept bytes, and single spaces between them (which fold to
                    // themselves), goes in one piece.
                    flush_space(&mut text, &mut src, &mut pending_space);
                    let kept = |at: usize| bytes.get(at).is_some_and(|&b| KEPT[usize::from(b)]);
                    let mut end = at + 1;
                    loop {
                        let run = bytes[end..].iter().position(|&b| !KEPT[usize::from(b)]);
                        end = run.map_or(bytes.len(), |run| end + run);
                        if bytes.get(end) == Some(&b' ') && kept(end + 1) {
                            end += 2;
                        } else {
                            break;
                        }
                    }
                    text.extend(bytes[at..end].iter().map(u8::to_ascii_lowercase));
                    src.extend(at as u32..end as u32);
                    at = end;
                    continue;
                }
                Ascii::Space => {
                    pending_space.get_or_insert(at as u32);
                }
                Ascii::Hyphen => {
                    flush_space(&mut text, &mut src, &mut pending_space);
                    text.push(b' ');
                    src.push(at as u32);
                }
            }
            at += 1;
            continue;
        }
        let c = original[at..].chars().next().expect("a character boundary");
        fold_char(c, at as u32, &mut text, &mut src, &mut pending_space);
        at += c.len_utf8();
    }
    // A trailing run of whitespace folds to one space too, so folded and original agree on where
    // the last word ends.
    flush_space(&mut text, &mut src, &mut pending_space);
    let text = String::from_utf8(text).expect("folding writes whole characters");
    Normalized { text, src }
}

fn push_char(text: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    text.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Folds one character (any, though [`fold`] sends only non-ASCII ones here).
fn fold_char(
    c: char,
    at: u32,
    text: &mut Vec<u8>,
    src: &mut Vec<u32>,
    pending_space: &mut Option<u32>,
) {
    if c.is_ascii_alphanumeric() || (c.is_ascii_punctuation() && c != '-') {
        flush_space(text, src, pending_space);
        text.push(c.to_ascii_lowercase() as u8);
        src.push(at);
        return;
    }
    match classify(c) {
        Class::Space => {
            pending_space.get_or_insert(at);
        }
        Class::Drop => {}
        Class::Replace(r) => {
            flush_space(text, src, pending_space);
            push_char(text, r);
            src.push(at);
        }
        Class::Letters(letters) => {
            flush_space(text, src, pending_space);
            text.extend_from_slice(letters.as_bytes());
            src.resize(text.len(), at);
        }
        Class::Fold => {
            let before = text.len();
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                for l in d.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                    push_char(text, l);
                }
            });
            if text.len() > before {
                // The space goes before this character's output: insert it in place.
                if let Some(space_at) = pending_space.take() {
                    text.insert(before, b' ');
                    src.push(space_at);
                }
                src.resize(text.len(), at);
            }
        }
    }
}

fn flush_space(text: &mut Vec<u8>, src: &mut Vec<u32>, pending: &mut Option<u32>) {
    if let Some(at) = pending.take() {
        text.push(b' ');
        src.push(at);
    }
}

/// Folds a dictionary alias: the same folding as documents, without leading or trailing spaces.
pub fn fold_alias(alias: &str) -> String {
    fold(alias).text.trim().to_string()
}

/// Calls `f` with [`fold_alias`]`(word)`, without allocating when `word` is at most 32 bytes
/// that folding keeps as they are, lowercased (ASCII letters, digits and punctuation other than
/// `-`: the `KEPT` table):
/// the tagger's context rules fold a neighbouring word for nearly every match.
pub fn with_folded_word<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 32];
    if word.len() <= buf.len() && word.bytes().all(|b| KEPT[usize::from(b)]) {
        let buf = &mut buf[..word.len()];
        buf.copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        return f(std::str::from_utf8(buf).expect("ASCII bytes"));
    }
    f(&fold_alias(word))
}

/// Counts characters (Unicode scalar values) in `s[..byte]`: Python's `str` index of that byte.
pub fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_folds_as_an_alias_with_or_without_allocation() {
        let long = "Supercalifragilisticexpialidocious-Extra";
        for word in [
            "Minister",
            "U.S",
            "d'Ivoire",
            "Then-President",
            "T\u{FC}rkiye",
            "Korea\u{2019}s",
            long,
            "",
            "MiG",
        ] {
            with_folded_word(word, |folded| {
                assert_eq!(folded, fold_alias(word), "{word}")
            });
        }
    }

    #[test]
    fn folding_table() {
        let cases = [
            ("North Korea", "north korea"),
            ("Korea\u{2019}s", "korea's"),
            ("\u{201C}Hwasong\u{2010}15\u{201D}", "\"hwasong 15\""),
            ("U.S.\u{2014}China", "u.s. china"),
            ("Kim Jong-un", "kim jong un"),
            ("T\u{FC}rkiye", "turkiye"),
            ("Tu\u{308}rkiye", "turkiye"),
            ("Erdo\u{11F}an", "erdogan"),
            ("C\u{F4}te d\u{2019}Ivoire", "cote d'ivoire"),
            ("a\u{A0}\u{A0} \n\tb", "a b"),
            ("Ira\u{200B}n", "iran"),
            ("\u{FB01}ve", "five"),
            ("\u{130}stanbul", "istanbul"),
            ("\u{FF35}\u{FF33}", "us"),
            ("\u{110}okovi\u{107}", "dokovic"),
            ("L\u{F8}kke Rasmussen", "lokke rasmussen"),
            ("\u{141}ukaszenka", "lukaszenka"),
            ("Hawai\u{2BB}i", "hawaii"),
            ("Stra\u{DF}e", "strasse"),
            ("\u{C6}gir \u{153}uvre", "aegir oeuvre"),
            ("  lead  ", " lead "),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input).text, want, "fold({input:?})");
        }
    }

    #[test]
    fn map_points_at_original_characters() {
        let original = "Tu\u{308}rkiye and \u{130}zmir\u{2019}s \u{FB01}ve";
        let n = fold(original);
        let at = n.text.find("turkiye").unwrap();
        let (s, e) = n
            .original_range(original, at, at + "turkiye".len())
            .unwrap();
        assert_eq!(&original[s..e], "Tu\u{308}rkiye");
        let at = n.text.find("izmir").unwrap();
        let (s, e) = n.original_range(original, at, at + "izmir".len()).unwrap();
        assert_eq!(&original[s..e], "\u{130}zmir");
        // "fi" comes from one ligature: a match of only "f" inside it is refused.
        let at = n.text.find("five").unwrap();
        assert_eq!(n.original_range(original, at, at + 1), None);
        let (s, e) = n.original_range(original, at, at + 4).unwrap();
        assert_eq!(&original[s..e], "\u{FB01}ve");
    }

    #[test]
    fn collapsed_space_maps_to_first_whitespace() {
        let original = "North \u{A0}\n Korea";
        let n = fold(original);
        assert_eq!(n.text, "north korea");
        let (s, e) = n.original_range(original, 0, n.text.len()).unwrap();
        assert_eq!(&original[s..e], original);
    }

    /// The folding rules applied one character at a time, as [`fold`] did before its ASCII fast
    /// path: the reference the fast path must agree with.
    fn fold_by_characters(original: &str) -> Normalized {
        let (mut text, mut src, mut pending) = (Vec::new(), Vec::new(), None);
        for (at, c) in original.char_indices() {
            fold_char(c, at as u32, &mut text, &mut src, &mut pending);
        }
        flush_space(&mut text, &mut src, &mut pending);
        Normalized {
            text: String::from_utf8(text).unwrap(),
            src,
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_character_rules(s in "(\\PC|[ -~\t\n\r]|\u{2019}|\u{2014}|\u{a0}|\u{fb01}|\u{130}|\u{301}|\u{200b})*") {
            let (fast, slow) = (fold(&s), fold_by_characters(&s));
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            proptest::prop_assert_eq!(&fast.src, &slow.src);
        }
    }

    #[test]
    fn the_ascii_table_agrees_with_the_character_rules() {
        for b in 0u8..128 {
            let (mut text, mut src, mut pending) = (Vec::new(), Vec::new(), None);
            fold_char(b as char, 0, &mut text, &mut src, &mut pending);
            flush_space(&mut text, &mut src, &mut pending);
            let by_table = fold(&(b as char).to_string()).text;
            assert_eq!(by_table.as_bytes(), text, "byte {b:#x}");
        }
    }

    #[test]
    fn char_offsets_count_scalar_values() {
        assert_eq!(char_offset("Kim Jong Un", 4), 4);
        assert_eq!(char_offset("Erdoğan said", 8), 7);
        assert_eq!(char_offset("😀 Iran", 5), 2);
    }
}
