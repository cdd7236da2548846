//! Property: whatever the input, every reported span is exactly the mention's text in the
//! original document, by characters and by bytes, and spans are in order without overlap.

use entopic::{Document, Pipeline};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn spans_point_at_the_mention_text(pieces in prop::collection::vec(piece(), 0..24)) {
        let text: String = pieces.concat();
        let analysis = pipeline().analyze(&Document::new("p", text.clone()));
        let chars: Vec<char> = text.chars().collect();
        let mut last_end = 0;
        for m in &analysis.mentions {
            prop_assert_eq!(&text[m.byte_start..m.byte_end], m.text.as_str());
            let by_chars: String = chars[m.start..m.end].iter().collect();
            prop_assert_eq!(by_chars, m.text.clone());
            prop_assert!(m.byte_start >= last_end, "overlap or disorder at {}", m.byte_start);
            last_end = m.byte_end;
        }
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
