//! Designations as written: a letter block and a number ("A-10", "AT-3", "Su-27", "S-400",
//! "Mi-8", "SS-N-30", "Mk 82", "S400").
//!
//! Folding turns hyphens into spaces and lowercases, so the alias `A-10` also matches "a 10" in
//! "a 10-minute walk", `AT-3` matches "at 3 pm" and `S-400` matches "Mercedes S 400". Real
//! writing spells a designation one way: its letters as the dictionary gives them (or all in
//! capitals, or capitalized: "SU-27", "Mig-29"), and a hyphen or nothing where the dictionary has
//! a hyphen or nothing. [`Shape`] is that form, read from an alias once; [`Shape::accepts`] says
//! whether the text of a match has it. Aliases that do not start with a designation (longer
//! words such as "Hwasong-15", "Leopard 2", or a digit first such as "9K720") have no shape.

/// The longest letter block that counts as a designation's letters ("Type" in "Type 99", "Bf",
/// "MiG", "AGM"); longer words ("Arrow 3", "Hwasong-15") are names, not designations.
const MAX_BLOCK: usize = 4;

/// The most letter blocks a designation starts with ("SS-N-30" has two).
const MAX_BLOCKS: usize = 3;

/// The leading letter blocks of a designation alias and what separates them, up to its first
/// digit. Plain data, built without allocating: the tagger keeps one per alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    blocks: [Block; MAX_BLOCKS],
    count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Block {
    /// Number of letters (ASCII, at most [`MAX_BLOCK`]).
    len: usize,
    /// Bit `i` set when letter `i` is a capital in the dictionary.
    upper: u8,
    /// True when the dictionary writes a hyphen or nothing after the block, so that a space there
    /// is not the designation ("A 10", "S 400"); false after a space ("Mk 82", "Type 99").
    joined: bool,
}

impl Shape {
    /// The shape of `written` if it starts with up to [`MAX_BLOCKS`] letter blocks of at most
    /// [`MAX_BLOCK`] ASCII letters, each followed by a hyphen, a space or nothing, the last one
    /// by a digit.
    pub fn of(written: &str) -> Option<Shape> {
        let mut shape = Shape {
            blocks: [Block::default(); MAX_BLOCKS],
            count: 0,
        };
        let mut rest = written;
        while shape.count < MAX_BLOCKS {
            let len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            if len == 0 || len > MAX_BLOCK {
                return None;
            }
            let (letters, after) = rest.split_at(len);
            let (joined, after) = match after.chars().next() {
                Some('-') => (true, &after[1..]),
                Some(' ') => (false, &after[1..]),
                Some(c) if c.is_ascii_digit() => (true, after),
                _ => return None,
            };
            let upper = letters
                .bytes()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0u8, |bits, (i, _)| bits | 1 << i);
            shape.blocks[shape.count] = Block { len, upper, joined };
            shape.count += 1;
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                return Some(shape);
            }
            rest = after;
        }
        None
    }

    /// True when `matched` (the original text of a match of the alias) has this shape: each
    /// block's letters in the written case, all in capitals, or capitalized; and no whitespace
    /// after a block the dictionary writes joined or hyphenated.
    pub fn accepts(&self, matched: &str) -> bool {
        let mut rest = matched;
        for block in &self.blocks[..self.count] {
            let Some(letters) = rest.get(..block.len) else {
                return false;
            };
            if !letters.chars().all(|c| c.is_alphabetic()) || !same_case(letters, block.upper) {
                return false;
            }
            let after = &rest[block.len..];
            let sep_len = after.find(char::is_alphanumeric).unwrap_or(after.len());
            if block.joined && after[..sep_len].chars().any(char::is_whitespace) {
                return false;
            }
            rest = &after[sep_len..];
        }
        true
    }
}

/// `text` has the case the dictionary gives its letters (`upper`: bit `i` for a capital at `i`),
/// or is all capitals or capitalized when the dictionary starts with a capital ("SU", "Mig" for
/// "Su", "MiG"; never "su", "at", "mi").
fn same_case(text: &str, upper: u8) -> bool {
    let exact = text
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_uppercase() == (upper >> i & 1 == 1));
    let first_upper = text.chars().next().is_some_and(char::is_uppercase);
    let rest = || text.chars().skip(1);
    let all_caps = first_upper && rest().all(char::is_uppercase);
    let capitalized = first_upper && rest().all(char::is_lowercase);
    exact || (upper & 1 == 1 && (all_caps || capitalized))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_aliases() {
        assert!(Shape::of("A-10").is_some());
        assert!(Shape::of("SS-N-30").is_some());
        assert!(Shape::of("Mk 82").is_some());
        assert!(Shape::of("S400").is_some());
        assert!(Shape::of("Tor-M1").is_some());
        for none in [
            "Hwasong-15",
            "Leopard 2",
            "9K720",
            "Agni-V",
            "Iron Dome",
            "F/A-18",
        ] {
            assert_eq!(Shape::of(none), None, "{none}");
        }
    }

    #[test]
    fn forms_real_writing_uses() {
        let table: &[(&str, &str, bool)] = &[
            ("A-10", "A-10", true),
            ("A-10", "A\u{2011}10", true),
            ("A-10", "a 10", false),
            ("A-10", "A 10", false),
            ("AT-3", "at 3", false),
            ("AT-3", "AT 3", false),
            ("AT-3", "AT-3", true),
            ("Su-27", "su 27", false),
            ("Su-27", "SU-27", true),
            ("Su-27", "su-27", false),
            ("MiG-29", "Mig-29", true),
            ("MiG-29", "MIG-29", true),
            ("S-400", "S 400", false),
            ("Mi-8", "Mi 8", false),
            ("SS-N-30", "SS-N-30", true),
            ("SS-N-30", "ss n 30", false),
            ("Mk 82", "Mk 82", true),
            ("Mk 82", "Mk-82", true),
            ("Mk 82", "mk 82", false),
            ("S400", "S400", true),
            ("M16", "m16", false),
        ];
        for (written, matched, want) in table {
            let shape = Shape::of(written).unwrap();
            assert_eq!(shape.accepts(matched), *want, "{written} vs {matched}");
        }
    }
}
