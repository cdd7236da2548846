//! Property (fuzzing): arbitrary bytes through decode → (HTML extraction) → normalize → tag →
//! classify → every export format never panic, and what comes out is well-formed: JSON that
//! parses back with exact offsets, CSV rows with the right number of cells.
//!
//! Run long with `PROPTEST_CASES=20000 cargo test --release --test fuzz`; a failing input is
//! saved in `tests/fuzz.proptest-regressions` (commit it) and replayed first on every later run.

use entopic::export::{self, rows::Cell};
use entopic::{Analysis, Document, Pipeline};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::bundled().unwrap())
}

/// Byte strings that mix random bytes with fragments the pipeline reacts to.
fn input() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..24),
        Just(b"North Korea".to_vec()),
        Just(b"Kim Jong-un".to_vec()),
        Just(
            "Korea\u{2019}s T\u{fc}rkiye Erdo\u{11f}an"
                .as_bytes()
                .to_vec()
        ),
        Just(b"U.S.-led ICBMs Hwasong-15".to_vec()),
        Just(b"<p>Iran</p><script>x</script><div>".to_vec()),
        Just(b"&amp;&#8212;&nbsp;".to_vec()),
        Just(b"=HYPERLINK(\"x\"),\"\n\r\t".to_vec()),
        Just(
            "\u{fb01}\u{130}\u{301}\u{200b}\u{a0}\u{2028}"
                .as_bytes()
                .to_vec()
        ),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xc3\x28\xa0\xa1".to_vec()),
        "[A-Za-z .,'-]{0,12}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat())
}

fn check(doc: &Document) -> Result<(), TestCaseError> {
    let p = pipeline();
    let analysis = p.analyze(doc);
    let chars: Vec<char> = doc.text.chars().collect();
    for m in &analysis.mentions {
        prop_assert_eq!(&doc.text[m.byte_start..m.byte_end], m.text.as_str());
        prop_assert_eq!(
            chars[m.start..m.end].iter().collect::<String>(),
            m.text.clone()
        );
    }
    let options = export::Options::default();
    let ctx = export::Context {
        types: p.types(),
        options: &options,
    };
    for &format in export::FORMATS {
        let rendered = format.output().render(&ctx, doc, &analysis);
        match format.name() {
            "jsonl" | "json" => {
                let record: serde_json::Value =
                    serde_json::from_slice(&rendered.parts[0].to_vec().unwrap())
                        .map_err(|e| TestCaseError::fail(format!("bad JSON: {e}")))?;
                prop_assert_eq!(record["id"].as_str(), Some(doc.id.as_str()));
                let entities = record["entities"].as_array().unwrap();
                prop_assert_eq!(entities.len(), analysis.mentions.len());
                for (e, m) in entities.iter().zip(&analysis.mentions) {
                    prop_assert_eq!(e["text"].as_str(), Some(m.text.as_str()));
                    prop_assert_eq!(e["start"].as_u64(), Some(m.start as u64));
                }
            }
            "csv" => {
                let rows = |bytes: &[u8], cells: usize| -> Result<usize, TestCaseError> {
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(bytes);
                    let mut n = 0;
                    for row in reader.records() {
                        let row = row.map_err(|e| TestCaseError::fail(format!("bad CSV: {e}")))?;
                        prop_assert_eq!(row.len(), cells);
                        n += 1;
                    }
                    Ok(n)
                };
                let n = rows(
                    &rendered.parts[0].to_vec().unwrap(),
                    export::rows::MENTION_COLUMNS.len(),
                )?;
                prop_assert_eq!(n, analysis.mentions.len());
                let columns = export::rows::document_header(p.types(), &[]).len();
                prop_assert_eq!(rows(&rendered.parts[1].to_vec().unwrap(), columns)?, 1);
            }
            "conll" => {
                let block = String::from_utf8(rendered.parts[0].to_vec().unwrap())
                    .map_err(|e| TestCaseError::fail(format!("CoNLL not UTF-8: {e}")))?;
                // The first line is `-DOCSTART- ID O`, the others `token TAG`.
                let mut lines = block.lines();
                let first = lines.next().unwrap_or("");
                prop_assert!(first.starts_with("-DOCSTART- "), "{:?}", first);
                prop_assert_eq!(first.split(' ').count(), 3, "{:?}", first);
                for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    prop_assert_eq!(line.split(' ').count(), 2, "{:?}", line);
                }
            }
            "xlsx" => {
                // The workbook's own layout is checked in tests/exports.rs; here, that every
                // mention has its row, with its text and offsets.
                let rows = rendered
                    .rows
                    .unwrap()
                    .downcast::<export::XlsxRows>()
                    .unwrap();
                prop_assert_eq!(rows.mentions().len(), analysis.mentions.len());
                for (row, m) in rows.mentions().iter().zip(&analysis.mentions) {
                    prop_assert_eq!(row.len(), export::rows::MENTION_COLUMNS.len());
                    prop_assert_eq!(&row[4], &Cell::from(m.text.as_str()));
                    prop_assert_eq!(&row[5], &Cell::Int(m.start as u64));
                    prop_assert_eq!(&row[6], &Cell::Int(m.end as u64));
                }
            }
            "brat" => {
                let brat = rendered
                    .rows
                    .unwrap()
                    .downcast::<export::BratDoc>()
                    .unwrap();
                check_brat(&brat, doc, &analysis)?;
            }
            // Rendered without panicking; the parquet files are checked in tests/exports.rs.
            _ => {}
        }
    }
    Ok(())
}

/// brat standoff: the `.txt` is the document, and each mention's `T` line has character spans
/// whose text, fragments joined by a space, is the line's text field.
fn check_brat(
    brat: &export::BratDoc,
    doc: &Document,
    analysis: &Analysis,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(brat.text(), doc.text.as_str());
    let chars: Vec<char> = doc.text.chars().collect();
    let bound: Vec<&str> = brat.ann().lines().filter(|l| l.starts_with('T')).collect();
    prop_assert_eq!(bound.len(), analysis.mentions.len());
    for (line, m) in bound.iter().zip(&analysis.mentions) {
        let fields: Vec<&str> = line.split('\t').collect();
        prop_assert_eq!(fields.len(), 3, "{:?}", line);
        let (_, spans) = fields[1].split_once(' ').unwrap();
        let mut pieces = Vec::new();
        for span in spans.split(';') {
            let (s, e) = span.split_once(' ').unwrap();
            let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
            prop_assert!(
                m.start <= s && s < e && e <= m.end,
                "{:?} outside {:?}",
                span,
                m.chars()
            );
            pieces.push(chars[s..e].iter().collect::<String>());
        }
        prop_assert_eq!(pieces.join(" ").replace('\t', " "), fields[2]);
    }
    Ok(())
}

/// `PROPTEST_CASES` when set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000)))]

    #[test]
    fn arbitrary_bytes_come_out_well_formed(bytes in input()) {
        if let Ok((text, encoding)) = entopic::ingest::decode(&bytes) {
            let mut doc = Document::new("=fuzz,\"id\"", text.clone());
            doc.encoding = encoding.to_string();
            check(&doc)?;
            let page = entopic::ingest::extract_html(&text);
            check(&Document { title: page.title, ..Document::new("html", page.text) })?;
        }
    }
}
