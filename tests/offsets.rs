//! Property: whatever the input, every reported span is exactly the mention's text in the
//! original document, by characters and by bytes; mentions are in document order, and two
//! mentions are either apart or one inside the other ("Jordan" in "Abdullah II of Jordan"),
//! never crossing and never the same span twice.

use entopic::{Document, Mention, Pipeline};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::bundled().unwrap())
}

/// Pieces that stress normalization next to real dictionary words.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("North Korea".to_string()),
        Just("NORTH KOREA".to_string()),
        Just("Kim Jong-un".to_string()),
        Just("Korea\u{2019}s".to_string()),
        Just("U.S.".to_string()),
        Just("T\u{fc}rkiye".to_string()),
        Just("Tu\u{308}rkiye".to_string()),
        Just("Erdo\u{11f}an".to_string()),
        Just("Hwasong\u{2010}15".to_string()),
        Just("\u{fb01}".to_string()),
        Just("\u{130}".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{301}".to_string()),
        Just("\r\n".to_string()),
        Just("😀".to_string()),
        Just("Iran".to_string()),
        Just("ICBMs".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z .,'-]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

/// Mentions in document order; any two apart or one strictly inside the other.
fn nested_never_crossing(mentions: &[Mention]) -> Result<(), TestCaseError> {
    for (i, a) in mentions.iter().enumerate() {
        prop_assert!(a.byte_start < a.byte_end, "empty mention {:?}", a.bytes());
        for b in &mentions[i + 1..] {
            prop_assert!(
                a.byte_start <= b.byte_start,
                "out of order: {:?} {:?}",
                a.bytes(),
                b.bytes()
            );
            let apart = a.byte_end <= b.byte_start;
            let inside = |x: &Mention, y: &Mention| {
                y.byte_start <= x.byte_start && x.byte_end <= y.byte_end && x.bytes() != y.bytes()
            };
            prop_assert!(
                apart || inside(a, b) || inside(b, a),
                "crossing: {:?} {:?}",
                a.bytes(),
                b.bytes()
            );
        }
    }
    Ok(())
}

#[test]
fn nested_mentions_are_allowed_and_checked() {
    let text = "King Abdullah II of Jordan met Kim Jong Un.";
    let analysis = pipeline().analyze(&Document::new("n", text));
    let spans: Vec<(&str, &str)> = analysis
        .mentions
        .iter()
        .map(|m| (m.entity.id.as_str(), &text[m.bytes()]))
        .collect();
    assert_eq!(
        spans,
        [
            ("abdullah-ii", "Abdullah II of Jordan"),
            ("JOR", "Jordan"),
            ("kim-jong-un", "Kim Jong Un")
        ]
    );
    assert!(nested_never_crossing(&analysis.mentions).is_ok());
    let mut crossing = analysis.mentions.clone();
    crossing[1].byte_start -= 3; // "of Jordan" and "Abdullah II of" would cross
    crossing[0].byte_end -= 7;
    assert!(nested_never_crossing(&crossing).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn spans_point_at_the_mention_text(pieces in prop::collection::vec(piece(), 0..24)) {
        let text: String = pieces.concat();
        let analysis = pipeline().analyze(&Document::new("p", text.clone()));
        let chars: Vec<char> = text.chars().collect();
        for m in &analysis.mentions {
            prop_assert_eq!(&text[m.bytes()], m.text.as_str());
            let by_chars: String = chars[m.chars()].iter().collect();
            prop_assert_eq!(by_chars, m.text.clone());
        }
        nested_never_crossing(&analysis.mentions)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok((text, _)) = entopic::ingest::decode(&bytes) {
            let analysis = pipeline().analyze(&Document::new("b", text.clone()));
            for m in &analysis.mentions {
                prop_assert_eq!(&text[m.byte_start..m.byte_end], m.text.as_str());
            }
            let html_text = entopic::ingest::extract_html(&text).text;
            pipeline().analyze(&Document::new("h", html_text));
        }
    }
}
