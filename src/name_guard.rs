//! Signs that a leader's name in the text names someone or something else.
//!
//! A name that matched a dictionary alias is not that leader when the text goes on to say which
//! other bearer it is, or shows that it names a ship:
//! - a regnal number right after it ("King Frederik IX" is not Frederik X, "Lula I" in a shipping
//!   table is a vessel): a regnal form the dictionary knows ("Frederik IX", "King Albert II") is
//!   an alias of its own and wins as the longer match, so a number left over belongs to a
//!   different person;
//! - a patronymic right after it ("Emir Khalifa bin Hamad" is not Khalifa bin Zayed), for the
//!   same reason;
//! - a naval ship prefix right before it, possibly with one title between ("HMS Queen
//!   Elizabeth", "USS Ronald Reagan").
//!
//! Each check looks at one or two words around the match: no per-token work.

use crate::context::Reason;

/// Ship prefixes of navies that name ships after people.
const SHIP_PREFIXES: &[&str] = &[
    "HMS", "USS", "HMAS", "HMCS", "HMNZS", "INS", "RFS", "PNS", "ROKS", "TCG", "ARA", "KRI", "BRP",
    "NRP", "HNLMS", "HDMS", "HNoMS", "HSwMS", "USNS",
];

/// Words that join a given name to a father's name.
const PATRONYMICS: &[&str] = &["bin", "bint", "ibn"];

/// Why the leader name at `original[start..end]` names another bearer, if it does.
pub fn other_bearer(original: &str, start: usize, end: usize) -> Option<Reason> {
    if ship_prefix_before(original, start) {
        return Some(Reason::ShipName);
    }
    let mut after = original[end..].strip_prefix(' ')?.split(' ');
    let next = after.next()?;
    let next = next.trim_end_matches([',', '.', ';', ':', ')']);
    if is_roman_numeral(next) {
        return Some(Reason::OtherPerson);
    }
    let followed_by_name = after
        .next()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    if PATRONYMICS.contains(&next) && followed_by_name {
        return Some(Reason::OtherPerson);
    }
    None
}

/// True when a ship prefix comes right before `start`, or before one capitalized word (a title
/// such as "Queen" or a given name such as "Ronald") right before it.
fn ship_prefix_before(original: &str, start: usize) -> bool {
    let head = original[..start].strip_suffix(' ').unwrap_or("");
    let mut words = head.rsplit(char::is_whitespace);
    let Some(first) = words.next() else {
        return false;
    };
    if SHIP_PREFIXES.contains(&first) {
        return true;
    }
    let capitalized = first.chars().next().is_some_and(char::is_uppercase);
    capitalized && words.next().is_some_and(|w| SHIP_PREFIXES.contains(&w))
}

/// An upper-case Roman numeral from I to XXXIX, as regnal numbers are written.
fn is_roman_numeral(word: &str) -> bool {
    let rest = word.trim_start_matches('X');
    let tens = word.len() - rest.len();
    let units = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    tens <= 3 && (units.contains(&rest) || (rest.is_empty() && tens > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, name: &str) -> Option<Reason> {
        let start = text.find(name).unwrap();
        other_bearer(text, start, start + name.len())
    }

    #[test]
    fn regnal_number_or_patronymic_after_the_name_is_another_person() {
        assert_eq!(
            at("King Frederik IX died.", "Frederik"),
            Some(Reason::OtherPerson)
        );
        assert_eq!(
            at("Lula I, Panama, 2009", "Lula"),
            Some(Reason::OtherPerson)
        );
        assert_eq!(
            at("Sultan Mohammed V, the", "Mohammed"),
            Some(Reason::OtherPerson)
        );
        assert_eq!(
            at("Emir Khalifa bin Hamad Al Thani", "Khalifa"),
            Some(Reason::OtherPerson)
        );
        assert_eq!(at("Lula said Friday.", "Lula"), None);
        assert_eq!(at("Khalifa bin said", "Khalifa"), None);
        assert_eq!(at("Putin Inc", "Putin"), None);
        assert_eq!(at("said Lula, I think", "Lula"), None);
    }

    #[test]
    fn ship_prefix_before_the_name_or_its_title_is_a_ship() {
        assert_eq!(
            at("HMS Queen Elizabeth sailed", "Elizabeth"),
            Some(Reason::ShipName)
        );
        assert_eq!(
            at("the USS Ronald Reagan", "Ronald Reagan"),
            Some(Reason::ShipName)
        );
        assert_eq!(
            at("Quay.\nHMS Queen Elizabeth", "Elizabeth"),
            Some(Reason::ShipName)
        );
        assert_eq!(at("Queen Elizabeth sailed", "Elizabeth"), None);
        assert_eq!(at("BUS Queen Elizabeth", "Elizabeth"), None);
    }

    #[test]
    fn roman_numerals() {
        for w in ["I", "II", "IX", "X", "XIV", "XXX", "XXXIX"] {
            assert!(is_roman_numeral(w), "{w}");
        }
        for w in ["", "IIII", "XL", "ii", "Ix", "XXXX", "Iv"] {
            assert!(!is_roman_numeral(w), "{w}");
        }
    }
}
