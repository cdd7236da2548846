//! Drives the real `entopic` binary for the outputs other programs consume: spreadsheets (CSV
//! with `--excel`, the xlsx workbook, read back with calamine and converted by LibreOffice where
//! it is installed), CoNLL and brat files, the JSON Schema of the JSONL record, and `--shard`.

use std::collections::BTreeMap;
mod common;

use common::{extract_demo, root, run, run_stdin, stderr};
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Runs `extract` on the demo data into `out` with the given formats.
fn demo(out: &Path, formats: &str, extra: &[&str]) {
    let mut args = vec![
        "extract",
        "data",
        "--exclude",
        "README.md",
        "--out",
        out.to_str().unwrap(),
        "--format",
        formats,
        "--quiet",
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn a_hostile_document_cannot_plant_a_formula_in_any_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Every field a document controls starts with a formula trigger: `=`, `+`, `-`, `@`, tab, CR.
    let input = [
        r#"{"id":"=cmd|' /C calc'!A0","title":"+SUM(A1:A9)","date":"-1+2","text":"=HYPERLINK(\"http://x\") Iran"}"#,
        r#"{"id":"@SUM(1)","title":"\t=2","text":"\tIraq\n-2+3 Japan","source":"=1+1"}"#,
        r#"{"id":"\r=1","text":"+Chile"}"#,
    ]
    .join("\n");
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv",
            "--quiet",
        ],
        &input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dangerous = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut cells = 0;
    for name in [
        "mentions.csv",
        "documents.csv",
        "entities.csv",
        "cooccurrence.csv",
    ] {
        for row in csv_rows(&out.join(name)) {
            for cell in row {
                assert!(!dangerous(&cell), "{name}: formula cell {cell:?}");
                cells += 1;
            }
        }
    }
    assert!(cells > 100);
    let mentions = csv_rows(&out.join("mentions.csv"));
    let column = |rows: &[Vec<String>], i: usize| -> Vec<String> {
        rows[1..].iter().map(|r| r[i].clone()).collect()
    };
    assert_eq!(
        column(&mentions, 0),
        ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'@SUM(1)", "'\r=1"],
        "doc_id keeps its value behind the quote"
    );
    assert_eq!(column(&mentions, 4), ["Iran", "Iraq", "Japan", "Chile"]);
    assert_eq!(
        column(&mentions, 13),
        [
            "'=HYPERLINK(\"http://x\") Iran",
            "Iraq",
            "'-2+3 Japan",
            "'+Chile"
        ],
        "context cells"
    );
    let documents = csv_rows(&out.join("documents.csv"));
    assert_eq!(
        documents[1][..4],
        ["'=cmd|' /C calc'!A0", "", "'+SUM(A1:A9)", "'-1+2"]
    );
    assert_eq!(documents[2][..3], ["'@SUM(1)", "", "'\t=2"]);
    assert_eq!(documents[3][0], "'\r=1");
    let entities = csv_rows(&out.join("entities.csv"));
    let first_docs: Vec<(&str, &str)> = entities[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        first_docs,
        [
            ("CHL", "'\r=1"),
            ("IRN", "'=cmd|' /C calc'!A0"),
            ("IRQ", "'@SUM(1)"),
            ("JPN", "'@SUM(1)")
        ]
    );
}

#[test]
fn excel_flag_starts_every_csv_with_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, excel) = (dir.path().join("plain"), dir.path().join("excel"));
    demo(&plain, "csv", &[]);
    demo(&excel, "csv", &["--excel"]);
    for name in [
        "mentions.csv",
        "documents.csv",
        "entities.csv",
        "cooccurrence.csv",
        "errors.csv",
    ] {
        let a = std::fs::read(plain.join(name)).unwrap();
        let b = std::fs::read(excel.join(name)).unwrap();
        assert_eq!(&b[..3], b"\xEF\xBB\xBF", "{name} starts with the BOM");
        assert_eq!(&b[3..], &a[..], "{name}: the rest is the same");
        assert!(!a.starts_with(b"\xEF\xBB\xBF"));
    }
    let o = run(&["extract", "data", "--excel"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "entopic: error: --excel applies to CSV output: add --format csv\n"
    );
}

#[test]
fn entities_and_cooccurrence_tables() {
    let dir = tempfile::tempdir().unwrap();
    let input = "{\"id\":\"a\",\"text\":\"Iran and Iraq met. Kim Jong Un watched Iran.\"}\n\
                 {\"id\":\"b\",\"text\":\"Iraq. Then Kim Jong Un.\"}\n";
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--out",
            dir.path().to_str().unwrap(),
            "--format",
            "csv",
            "--quiet",
        ],
        input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("entities.csv"),
        "type,entity_id,name,documents,mentions,first_doc\n\
         country,IRN,Iran,1,2,a\n\
         country,IRQ,Iraq,2,2,a\n\
         leader,kim-jong-un,Kim Jong Un,2,2,a\n"
    );
    assert_eq!(
        read("cooccurrence.csv"),
        "type_a,id_a,name_a,type_b,id_b,name_b,documents,sentences\n\
         country,IRQ,Iraq,leader,kim-jong-un,Kim Jong Un,2,0\n\
         country,IRN,Iran,country,IRQ,Iraq,1,1\n\
         country,IRN,Iran,leader,kim-jong-un,Kim Jong Un,1,1\n"
    );
}

// ---------------------------------------------------------------------------------------------
// XLSX

fn sheet_xml(xlsx: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// A calamine cell as CSV shows it: numbers without a fraction as integers.
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(x) if x.fract() == 0.0 => format!("{}", *x as i64),
        other => other.to_string(),
    }
}

#[test]
fn xlsx_workbook_holds_the_csv_tables() {
    use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "csv,xlsx", &[]);
    let path = dir.path().join("results.xlsx");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Documents", "Mentions", "Entities", "Topics"]
    );
    for (sheet, csv_name) in [
        ("Documents", "documents.csv"),
        ("Mentions", "mentions.csv"),
        ("Entities", "entities.csv"),
    ] {
        let range = book.worksheet_range(sheet).unwrap();
        let expected = csv_rows(&dir.path().join(csv_name));
        let got: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        assert_eq!(got.len(), expected.len(), "{sheet}: rows");
        for (g, e) in got.iter().zip(&expected) {
            // CSV neutralizes formula-like text with a leading quote; the workbook stores it as
            // text, which a spreadsheet never evaluates.
            let e: Vec<String> = e
                .iter()
                .map(|c| c.strip_prefix('\'').unwrap_or(c).to_string())
                .collect();
            assert_eq!(g, &e, "{sheet}");
        }
    }
    let mentions = book.worksheet_range("Mentions").unwrap();
    assert_eq!(mentions.get((1, 5)), Some(&Data::Float(49.0)), "numbers");
    let topics = book.worksheet_range("Topics").unwrap();
    assert_eq!(
        topics.rows().next().unwrap(),
        ["doc_id", "tag", "scheme", "score", "evidence"].map(|s| Data::String(s.into()))
    );
    let jsonl = std::process::Command::new(env!("CARGO_BIN_EXE_entopic"))
        .args(["extract", "data", "--exclude", "README.md", "--quiet"])
        .current_dir(root())
        .output()
        .unwrap();
    let expected_topics: Vec<(String, String, String, f64)> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .flat_map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            let id = r["id"].as_str().unwrap().to_string();
            r["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        id.clone(),
                        t["tag"].as_str().unwrap().to_string(),
                        t["scheme"].as_str().unwrap().to_string(),
                        t["score"].as_f64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let got_topics: Vec<(String, String, String, f64)> = topics
        .rows()
        .skip(1)
        .map(|r| {
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].to_string(),
                r[3].get_float().unwrap(),
            )
        })
        .collect();
    assert_eq!(got_topics, expected_topics);
    // Header frozen, autofilter over the table, widths set: in the sheet XML.
    let xml = sheet_xml(&path, 2);
    assert!(
        xml.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "frozen header"
    );
    assert!(
        xml.contains(&format!(r#"<autoFilter ref="A1:N{}"/>"#, mentions.height())),
        "autofilter over the mentions"
    );
    assert!(
        xml.contains(r#"width="80.7109375""#),
        "context column is wide"
    );
}

#[test]
fn xlsx_and_brat_need_an_output_folder() {
    for format in ["xlsx", "brat"] {
        let o = run(&["extract", "data", "--format", format]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            format!(
                "entopic: error: --format {format} writes files, not stdout: it needs --out DIR\n"
            )
        );
    }
}

/// LibreOffice reads the workbook back: every sheet converted to CSV holds the values of the
/// matching CSV table. Skipped, with a message, where LibreOffice is not installed.
#[test]
fn libreoffice_converts_the_workbook() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|cmd| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("skipped: LibreOffice (libreoffice/soffice) is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "csv,xlsx", &[]);
    let converted = dir.path().join("converted");
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let o = Command::new(office)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to"])
        // UTF-8 (76), comma, double quotes, one CSV file per sheet (-1).
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(&converted)
        .arg(dir.path().join("results.xlsx"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for (sheet, csv_name) in [
        ("Documents", "documents.csv"),
        ("Mentions", "mentions.csv"),
        ("Entities", "entities.csv"),
    ] {
        let got = csv_rows(&converted.join(format!("results-{sheet}.csv")));
        let expected = csv_rows(&dir.path().join(csv_name));
        assert_eq!(got.len(), expected.len(), "{sheet}: rows");
        for (g, e) in got.iter().zip(&expected) {
            let e: Vec<&str> = e
                .iter()
                .map(|c| c.strip_prefix('\'').unwrap_or(c))
                .collect();
            assert_eq!(g, &e, "{sheet}");
        }
    }
    let topics = csv_rows(&converted.join("results-Topics.csv"));
    assert_eq!(topics[0], ["doc_id", "tag", "scheme", "score", "evidence"]);
    assert!(topics.len() > 30, "{} topic rows", topics.len());
}

// ---------------------------------------------------------------------------------------------
// CoNLL and brat

#[test]
fn conll_of_a_small_document() {
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--input-format",
            "text",
            "--format",
            "conll",
            "--quiet",
        ],
        "Côte d’Ivoire bought a Bayraktar TB2.\nErdoğan’s Türkiye sold it!",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "-DOCSTART- <stdin> O\n\n\
         Côte B-COUNTRY\nd’Ivoire I-COUNTRY\nbought O\na O\n\
         Bayraktar B-WEAPON\nTB2 I-WEAPON\n. O\n\n\
         Erdoğan B-LEADER\n’s O\nTürkiye B-COUNTRY\nsold O\nit O\n! O\n\n"
    );
}

#[test]
fn conll_of_the_demo_data_tags_every_mention() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "jsonl,conll", &[]);
    let conll = std::fs::read_to_string(dir.path().join("documents.conll")).unwrap();
    let jsonl = std::fs::read_to_string(dir.path().join("documents.jsonl")).unwrap();
    // Each block starts with `-DOCSTART- ID O`: the id maps it back to its record.
    let docs: Vec<(&str, &str)> = conll
        .split("-DOCSTART- ")
        .skip(1)
        .map(|b| b.split_once(" O\n\n").expect("-DOCSTART- ID O"))
        .collect();
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), records.len(), "a block per document, in order");
    for ((id, block), record) in docs.iter().zip(&records) {
        let want = record["id"]
            .as_str()
            .unwrap()
            .replace('%', "%25")
            .replace(' ', "%20");
        assert_eq!(*id, want);
        let begins: Vec<String> = block
            .lines()
            .filter_map(|l| l.split_once(' '))
            .filter(|(_, tag)| tag.starts_with("B-"))
            .map(|(_, tag)| tag[2..].to_lowercase())
            .collect();
        let types: Vec<String> = record["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(begins, types, "{}", record["id"]);
        for line in block.lines().filter(|l| !l.is_empty()) {
            let (token, tag) = line.split_once(' ').expect("token and tag");
            assert!(!token.is_empty() && !tag.contains(' '), "{line:?}");
        }
        assert!(block.ends_with("\n\n") || block.is_empty());
    }
}

#[test]
fn brat_files_of_a_small_document() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Türkiye’s drones reached Côte d’Ivoire.\r\nKim Jong Un watched.";
    let input = serde_json::json!({"id": "wire/1 (ü)", "text": text}).to_string();
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--out",
            dir.path().to_str().unwrap(),
            "--format",
            "brat",
            "--quiet",
        ],
        &input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let brat = dir.path().join("brat");
    let mut names: Vec<String> = std::fs::read_dir(&brat)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["annotation.conf", "index.csv", "wire_1.ann", "wire_1.txt"]
    );
    assert_eq!(
        std::fs::read(brat.join("wire_1.txt")).unwrap(),
        text.as_bytes(),
        "the original text, CRLF kept"
    );
    assert_eq!(
        std::fs::read_to_string(brat.join("wire_1.ann")).unwrap(),
        "T1\tCountry 0 7\tTürkiye\n#1\tAnnotatorNotes T1\tTUR\nN1\tReference T1 entopic:TUR\tTurkey\n\
         T2\tWeapon 10 16\tdrones\n#2\tAnnotatorNotes T2\tdrone\nN2\tReference T2 entopic:drone\tdrone\n\
         T3\tCountry 25 38\tCôte d’Ivoire\n#3\tAnnotatorNotes T3\tCIV\nN3\tReference T3 entopic:CIV\tIvory Coast\n\
         T4\tLeader 41 52\tKim Jong Un\n#4\tAnnotatorNotes T4\tkim-jong-un\nN4\tReference T4 entopic:kim-jong-un\tKim Jong Un\n"
    );
    assert_eq!(
        std::fs::read_to_string(brat.join("index.csv")).unwrap(),
        "file,doc_id\nwire_1,wire/1 (ü)\n"
    );
    assert_eq!(
        std::fs::read_to_string(brat.join("annotation.conf")).unwrap(),
        "# Entity types of the entopic export (brat annotation.conf)\n\
         [entities]\nCountry\nLeader\nWeapon\n[relations]\n[events]\n[attributes]\n"
    );
}

#[test]
fn brat_offsets_of_the_demo_data_are_character_offsets() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "jsonl,brat", &[]);
    // A second run replaces the folder, leaving nothing of the first behind.
    demo(dir.path(), "jsonl,brat", &[]);
    let brat = dir.path().join("brat");
    let index = csv_rows(&brat.join("index.csv"));
    let records: BTreeMap<String, serde_json::Value> =
        std::fs::read_to_string(dir.path().join("documents.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                let r: serde_json::Value = serde_json::from_str(l).unwrap();
                (r["id"].as_str().unwrap().to_string(), r)
            })
            .collect();
    assert_eq!(index.len() - 1, records.len());
    let mut checked = 0;
    for row in &index[1..] {
        let (name, id) = (&row[0], &row[1]);
        let text: Vec<char> = std::fs::read_to_string(brat.join(format!("{name}.txt")))
            .unwrap()
            .chars()
            .collect();
        let ann = std::fs::read_to_string(brat.join(format!("{name}.ann"))).unwrap();
        let spans: Vec<(usize, usize, String)> = ann
            .lines()
            .filter(|l| l.starts_with('T'))
            .map(|l| {
                let fields: Vec<&str> = l.split('\t').collect();
                let (_, offsets) = fields[1].split_once(' ').unwrap();
                let pieces: Vec<String> = offsets
                    .split(';')
                    .map(|p| {
                        let (s, e) = p.split_once(' ').unwrap();
                        text[s.parse().unwrap()..e.parse().unwrap()]
                            .iter()
                            .collect()
                    })
                    .collect();
                assert_eq!(pieces.join(" "), fields[2], "{name}: {l}");
                let (s, _) = offsets.split_once(' ').unwrap();
                (s.parse().unwrap(), 0, fields[2].to_string())
            })
            .collect();
        let entities = records[id]["entities"].as_array().unwrap();
        assert_eq!(spans.len(), entities.len(), "{id}");
        for ((start, _, _), e) in spans.iter().zip(entities) {
            assert_eq!(*start as u64, e["start"].as_u64().unwrap(), "{id}");
            checked += 1;
        }
    }
    assert!(checked > 900, "{checked} mentions checked");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("partial")),
        "temporary folders left: {names:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/document.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

#[test]
fn real_output_validates_against_the_json_schema() {
    let validator = schema();
    let mut records = Vec::new();
    // The demo data as it is, and with a date so that every leader carries in_office/role.
    for extra in [&[][..], &["--date", "2024-06-01"][..]] {
        let mut args = vec!["extract", "data", "--exclude", "README.md", "--quiet"];
        args.extend(extra);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0));
        for line in String::from_utf8(o.stdout).unwrap().lines() {
            records.push(serde_json::from_str::<serde_json::Value>(line).unwrap());
        }
    }
    let fields = |key: &str| {
        records
            .iter()
            .flat_map(|r| r["entities"].as_array().unwrap())
            .filter(|e| e.get(key).is_some())
            .count()
    };
    assert!(fields("in_office") > 20 && fields("role") > 10 && fields("origin") > 20);
    assert!(records
        .iter()
        .any(|r| r.get("meta").is_some() && r.get("title").is_some()));
    for r in &records {
        let errors: Vec<String> = validator.iter_errors(r).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", r["id"]);
    }
    // The schema is not vacuous: each of these breaks the contract and is rejected.
    let good = records
        .iter()
        .find(|r| !r["entities"].as_array().unwrap().is_empty())
        .unwrap();
    type Breakage = fn(&mut serde_json::Value);
    let broken: [(&str, Breakage); 5] = [
        ("offset as a string", |r| {
            r["entities"][0]["start"] = "5".into()
        }),
        ("no entities", |r| {
            r.as_object_mut().unwrap().remove("entities");
        }),
        ("unknown top-level field", |r| r["extra"] = 1.into()),
        ("unknown form", |r| {
            r["entities"][0]["form"] = "nickname".into()
        }),
        ("numeric attribute", |r| r["entities"][0]["iso2"] = 5.into()),
    ];
    for (what, breaks) in broken {
        let mut r = good.clone();
        breaks(&mut r);
        assert!(!validator.is_valid(&r), "{what} should be rejected");
    }
}

// ---------------------------------------------------------------------------------------------
// --shard

#[test]
fn shards_together_equal_the_unsharded_run() {
    let extract = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["extract", "data", "--exclude", "README.md", "--quiet"];
        args.extend(extra);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    };
    let whole = extract(&[]);
    assert_eq!(whole.len(), 25);
    let n = 3;
    let mut union: Vec<String> = Vec::new();
    for k in 1..=n {
        let shard = extract(&["--shard", &format!("{k}/{n}"), "--jobs", "1"]);
        assert!(!shard.is_empty(), "shard {k}/{n} is empty");
        // Each shard keeps the input order: it is a subsequence of the whole run.
        let mut rest = whole.iter();
        for line in &shard {
            assert!(
                rest.any(|w| w == line),
                "shard {k}/{n}: out of order or unknown"
            );
        }
        union.extend(shard);
    }
    let mut sorted_union = union.clone();
    sorted_union.sort();
    let mut sorted_whole = whole.clone();
    sorted_whole.sort();
    assert_eq!(sorted_union, sorted_whole, "every document exactly once");

    // The split depends on paths relative to the folder, not on where it is mounted.
    let absolute = root().join("data");
    let o = run(&[
        "extract",
        absolute.to_str().unwrap(),
        "--exclude",
        "README.md",
        "--shard",
        "2/3",
        "--quiet",
    ]);
    let prefix = format!("{}/", root().display());
    let ids = |out: &str| -> Vec<String> {
        out.lines()
            .map(|l| {
                let r: serde_json::Value = serde_json::from_str(l).unwrap();
                r["id"].as_str().unwrap().replace(&prefix, "")
            })
            .collect()
    };
    assert_eq!(
        ids(&String::from_utf8(o.stdout).unwrap()),
        ids(&extract(&["--shard", "2/3"]).join("\n"))
    );
}

#[test]
fn each_skipped_or_failed_input_is_reported_by_one_shard() {
    let dir = tempfile::tempdir().unwrap();
    let rows = |out: &Path| -> Vec<Vec<String>> { csv_rows(&out.join("errors.csv"))[1..].to_vec() };
    let whole = dir.path().join("whole");
    demo(&whole, "jsonl", &[]);
    let expected = rows(&whole);
    assert_eq!(expected.len(), 1, "data/make_encoded.py is skipped");
    let mut reported = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        demo(&out, "jsonl", &["--shard", &format!("{k}/3")]);
        reported.extend(rows(&out));
    }
    assert_eq!(reported, expected);
}

#[test]
fn shard_arguments_are_checked() {
    let o = run(&["extract", "data", "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"4/3\": expected K/N with 1 ≤ K ≤ N, such as 2/8"),
        "{}",
        stderr(&o)
    );
    let o = run(&["extract", "-", "--shard", "1/2"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "entopic: error: --shard splits files and folders, not stdin: split the stream before entopic\n"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV for programs: --csv-dialect raw, --meta-columns

#[test]
fn raw_csv_dialect_writes_exact_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = [
        r#"{"id":"-17","title":"+SUM(A1:A9)","date":"=1","text":"=HYPERLINK(\"http://x\") Iran"}"#,
        r#"{"id":"@handle","text":"-2+3 Japan"}"#,
        r#"{"id":"=x"}"#,
    ]
    .join("\n");
    let args = [
        "extract",
        "-",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "csv",
    ];
    let o = run_stdin(
        &[&args[..], &["--csv-dialect", "raw", "--quiet"]].concat(),
        &input,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mentions = csv_rows(&out.join("mentions.csv"));
    let cells = |r: &Vec<String>| (r[0].clone(), r[4].clone(), r[13].clone());
    assert_eq!(
        mentions[1..].iter().map(cells).collect::<Vec<_>>(),
        [
            (
                "-17".into(),
                "Iran".into(),
                "=HYPERLINK(\"http://x\") Iran".into()
            ),
            ("@handle".into(), "Japan".into(), "-2+3 Japan".into()),
        ]
    );
    let documents = csv_rows(&out.join("documents.csv"));
    assert_eq!(documents[1][..4], ["-17", "", "+SUM(A1:A9)", "=1"]);
    assert_eq!(documents[2][0], "@handle");
    let entities = csv_rows(&out.join("entities.csv"));
    assert_eq!(entities[1][5], "-17", "first_doc");
    let errors = csv_rows(&out.join("errors.csv"));
    assert_eq!(errors[1][..2], ["<stdin>", "3"], "the record without text");
    // The default dialect still neutralizes the same cells.
    let o = run_stdin(&[&args[..], &["--quiet"]].concat(), &input);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(csv_rows(&out.join("mentions.csv"))[1][0], "'-17");
    // The byte-order mark is for spreadsheets.
    let o = run(&[&args[..], &["--excel", "--csv-dialect", "raw"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--excel is for spreadsheets: it cannot go with --csv-dialect raw"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn meta_columns_get_a_column_each_in_every_document_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = [
        r#"{"id":"a","source":"Meridian Wire","desk":"Asia","page":7,"text":"Iran."}"#,
        r#"{"id":"b","desk":null,"text":"Japan."}"#,
    ]
    .join("\n");
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv,xlsx,parquet",
            "--meta-columns",
            "source,page,desk",
            "--quiet",
        ],
        &input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let documents = csv_rows(&out.join("documents.csv"));
    let n = documents[0].len();
    assert_eq!(
        documents[0][n - 4..],
        ["meta", "meta.source", "meta.page", "meta.desk"]
    );
    assert_eq!(
        documents[1][n - 4..],
        [
            r#"{"page":7,"source":"Meridian Wire","desk":"Asia"}"#,
            "Meridian Wire",
            "7",
            "Asia"
        ]
    );
    assert_eq!(documents[2][n - 4..], [r#"{"desk":null}"#, "", "", ""]);

    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let sheet = book.worksheet_range("Documents").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(rows[0][n - 3..], ["meta.source", "meta.page", "meta.desk"]);
    assert_eq!(rows[1][n - 3..], ["Meridian Wire", "7", "Asia"]);

    let table = parquet_table(&out.join("documents.parquet"));
    let column = |name: &str| -> Vec<Option<String>> {
        let c = table.column_by_name(name).unwrap();
        let c = c.as_any().downcast_ref::<StringArray>().unwrap();
        c.iter().map(|v| v.map(String::from)).collect()
    };
    assert_eq!(
        column("meta.source"),
        [Some("Meridian Wire".to_string()), None]
    );
    assert_eq!(column("meta.page"), [Some("7".to_string()), None]);

    let o = run(&["extract", "data/korea", "--meta-columns", "source"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--meta-columns applies to csv, xlsx and parquet output"));
}

// ---------------------------------------------------------------------------------------------
// Parquet

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch, StringArray};

/// All rows of a Parquet file (of one row group), read back with the parquet crate's Arrow
/// reader.
fn parquet_table(path: &Path) -> RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .with_batch_size(1 << 20)
        .build()
        .unwrap();
    let mut batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    assert_eq!(batches.len(), 1, "{}: one batch", path.display());
    batches.pop().unwrap()
}

fn strings(batch: &RecordBatch, name: &str) -> Vec<String> {
    let c = batch.column_by_name(name).unwrap().as_string::<i32>();
    c.iter().map(|v| v.unwrap_or("").to_string()).collect()
}

#[test]
fn parquet_tables_hold_the_csv_rows_typed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    demo(&out, "csv,jsonl,parquet", &[]);
    let csv_count = |name: &str| csv_rows(&out.join(name)).len() - 1;
    let mentions = parquet_table(&out.join("mentions.parquet"));
    let documents = parquet_table(&out.join("documents.parquet"));
    let entities = parquet_table(&out.join("entities.parquet"));
    let topics = parquet_table(&out.join("topics.parquet"));
    assert_eq!(mentions.num_rows(), csv_count("mentions.csv"));
    assert_eq!(documents.num_rows(), csv_count("documents.csv"));
    assert_eq!(entities.num_rows(), csv_count("entities.csv"));
    let jsonl = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tags: usize = records
        .iter()
        .map(|r| r["topics"].as_array().unwrap().len())
        .sum();
    assert_eq!(topics.num_rows(), tags);
    assert!(mentions.num_rows() > 900 && tags > 40);

    // Same ids, texts and offsets as mentions.csv, row by row.
    let csv = csv_rows(&out.join("mentions.csv"));
    let starts = mentions.column_by_name("start").unwrap();
    let starts = starts.as_primitive::<Int64Type>();
    let byte_ends = mentions.column_by_name("byte_end").unwrap();
    let byte_ends = byte_ends.as_primitive::<Int64Type>();
    let (ids, texts) = (strings(&mentions, "doc_id"), strings(&mentions, "text"));
    for (i, row) in csv[1..].iter().enumerate() {
        assert_eq!((&ids[i], &texts[i]), (&row[0], &row[4]), "row {i}");
        assert_eq!(starts.value(i).to_string(), row[5]);
        assert_eq!(byte_ends.value(i).to_string(), row[8]);
    }

    // A known document, exactly.
    let doc = "data/korea/hwasong-19-launch.txt";
    let first = ids.iter().position(|id| id == doc).unwrap();
    assert_eq!(
        (&texts[first], starts.value(first), byte_ends.value(first)),
        (&"NORTH KOREA".to_string(), 0, 11)
    );
    assert_eq!(strings(&mentions, "entity_id")[first], "PRK");
    let office = mentions.column_by_name("in_office").unwrap();
    assert!(office.is_null(first), "no role for a country");
    let attributes = mentions
        .column_by_name("attributes")
        .unwrap()
        .as_list::<i32>();
    let pairs = attributes.value(first);
    let pairs = pairs.as_struct();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs.column(0).as_string::<i32>().value(0), "iso2");
    assert_eq!(pairs.column(1).as_string::<i32>().value(0), "KP");

    let row = strings(&documents, "doc_id")
        .iter()
        .position(|id| id == doc)
        .unwrap();
    let int = |name: &str| {
        let c = documents.column_by_name(name).unwrap();
        c.as_primitive::<Int64Type>().value(row)
    };
    assert_eq!((int("chars"), int("mentions")), (5045, 65));
    assert_eq!(strings(&documents, "date")[row], "2025-03-14");
    let leaders = documents.column_by_name("leader").unwrap().as_list::<i32>();
    let leaders = leaders.value(row);
    let leaders = leaders.as_struct();
    assert_eq!(leaders.column(0).as_string::<i32>().value(0), "kim-jong-un");
    assert_eq!(leaders.column(1).as_primitive::<Int64Type>().value(0), 2);
    assert!(documents.column_by_name("meta").unwrap().is_null(row));

    let record = records.iter().find(|r| r["id"] == doc).unwrap();
    let want = &record["topics"][0];
    let t = strings(&topics, "doc_id")
        .iter()
        .position(|id| id == doc)
        .unwrap();
    assert_eq!(strings(&topics, "tag")[t], want["tag"].as_str().unwrap());
    assert_eq!(
        strings(&topics, "scheme")[t],
        want["scheme"].as_str().unwrap()
    );
    let score = topics.column_by_name("score").unwrap();
    assert_eq!(
        score.as_primitive::<Float64Type>().value(t),
        want["score"].as_f64().unwrap()
    );
    let evidence = topics.column_by_name("evidence").unwrap().as_list::<i32>();
    let evidence = evidence.value(t);
    let evidence = evidence.as_struct();
    let e = &want["evidence"][0];
    assert_eq!(evidence.column(0).as_string::<i32>().value(0), e["term"]);
    assert_eq!(
        evidence.column(1).as_primitive::<Int64Type>().value(0),
        e["count"].as_i64().unwrap()
    );
    assert_eq!(
        evidence.column(2).as_primitive::<Float64Type>().value(0),
        e["contribution"].as_f64().unwrap()
    );

    let entity_csv = csv_rows(&out.join("entities.csv"));
    assert_eq!(strings(&entities, "entity_id")[0], entity_csv[1][1]);
    let counts = entities.column_by_name("mentions").unwrap();
    assert_eq!(
        counts.as_primitive::<Int64Type>().value(0).to_string(),
        entity_csv[1][4]
    );
}

#[test]
fn parquet_resumes_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let (full, resumed) = (dir.path().join("full"), dir.path().join("resumed"));
    demo(&full, "parquet", &[]);
    // The first run sees part of the data; the resumed run all of it.
    let o = run(&[
        "extract",
        "data/korea",
        "--out",
        resumed.to_str().unwrap(),
        "--format",
        "parquet",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = extract_demo(&resumed, &["--format", "parquet", "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The state keeps no copy of rows: Parquet is rebuilt from every document, and says so.
    let said = stderr(&o);
    assert!(
        said.starts_with(
            "entopic: --resume: nothing carried over: --format parquet is rebuilt from every \
             document\n"
        ),
        "{said}"
    );
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(resumed.join("run.json")).unwrap()).unwrap();
    assert_eq!(info["carried_over"], 0);
    assert_eq!(info["documents"], 25);
    for name in [
        "documents.parquet",
        "mentions.parquet",
        "topics.parquet",
        "entities.parquet",
    ] {
        let (a, b) = (full.join(name), resumed.join(name));
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{name}"
        );
    }
    let o = run(&["extract", "data/korea", "--format", "parquet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format parquet writes files, not stdout"));
}
