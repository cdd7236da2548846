//! Input readers and small outputs, each through the real binary: strict CSV, hostile HTML,
//! UTF-32, big numeric ids, dates, stdin detection, reserved dictionary names, help text.

mod common;

use common::{entopic, extract_demo, run, run_stdin, stderr, stdout, Case};
use serde_json::Value;

/// A temporary input folder and an output folder beside it.
/// (id, mention texts) of each record.
fn ids_and_mentions(records: &[Value]) -> Vec<(String, Vec<String>)> {
    records
        .iter()
        .map(|r| {
            let texts = r["entities"].as_array().unwrap().iter();
            let texts = texts.map(|e| e["text"].as_str().unwrap().to_string());
            (r["id"].to_string(), texts.collect())
        })
        .collect()
}

#[test]
fn csv_unterminated_quote_is_an_error_from_the_line_it_opened() {
    let case = Case::new();
    case.write(
        "feed.csv",
        b"id,text\nr1,Kim Jong Un spoke.\nr2,\"Xi Jinping said\nr3,Putin replied.\nr4,Iran too.\n",
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        ids_and_mentions(&case.records()),
        [("\"r1\"".to_string(), vec!["Kim Jong Un".to_string()])],
        "the row before the quote is kept, nothing is merged"
    );
    assert_eq!(
        case.errors(),
        [
            "feed.csv,3,failed,parse,unterminated quote: the quoted field opened on line 3 never \
          closes; the file is not read from that line on"
        ]
    );
}

#[test]
fn help_shows_the_column_options() {
    let help = stdout(&run(&["extract", "--help"]));
    for option in ["--text-column", "--id-column"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    let help = stdout(&run(&["topics", "train", "--help"]));
    assert!(help.contains("--label-column"), "{help}");
}

#[test]
fn html_with_7000_quoted_attributes_is_read_not_a_crash() {
    let case = Case::new();
    let attributes: Vec<String> = (0..7000).map(|i| format!("a{i}=\"v\"")).collect();
    let html = format!(
        "<html><body><div {}>Kim Jong Un visited Moscow.</div></body></html>",
        attributes.join(" ")
    );
    assert!(html.len() > 65_000, "the shape of the report: 70 KB");
    case.write("attrs.html", html.as_bytes());
    case.write("good.txt", b"Seoul and Tokyo held talks.");
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mentions: Vec<Vec<String>> = ids_and_mentions(&case.records())
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        mentions,
        [
            vec!["Kim Jong Un".to_string(), "Moscow".to_string()],
            vec!["Seoul".to_string(), "Tokyo".to_string()]
        ]
    );
}

#[test]
fn utf32_with_a_byte_order_mark_is_read_as_utf32() {
    let case = Case::new();
    let text = "\u{feff}Kim Jong Un visited Seoul and Tokyo.";
    let le: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    let be: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    case.write("le.txt", &le);
    case.write("be.txt", &be);
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = case.records();
    let encodings: Vec<&str> = records
        .iter()
        .map(|r| r["encoding"].as_str().unwrap())
        .collect();
    assert_eq!(encodings, ["utf-32be", "utf-32le"]);
    for (_, mentions) in ids_and_mentions(&records) {
        assert_eq!(mentions, ["Kim Jong Un", "Seoul", "Tokyo"]);
    }
}

#[test]
fn big_numeric_ids_keep_their_digits() {
    let input = "{\"id\": 123456789012345678901234567890, \"text\": \"Seoul\"}\n\
                 {\"id\": 18446744073709551615, \"text\": \"Tokyo\"}\n\
                 {\"id\": -42, \"text\": \"Iran\"}\n\
                 {\"id\": 1.50, \"text\": \"Iraq\"}\n";
    let o = run_stdin(&["extract", "-"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "\"123456789012345678901234567890\"",
            "\"18446744073709551615\"",
            "\"-42\"",
            "\"1.50\""
        ]
    );
}

#[test]
fn impossible_dates_are_rejected_with_exit_2() {
    for date in ["2025-02-30", "2023-02-29", "2024-04-31"] {
        let o = run(&["extract", "--date", date, "data"]);
        assert_eq!(o.status.code(), Some(2), "{date}");
        assert_eq!(
            stderr(&o),
            format!("entopic: error: --date {date:?}: no such day in the calendar\n")
        );
    }
    let o = run_stdin(
        &["extract", "--date", "2024-02-29", "-"],
        "{\"text\":\"Iran\"}",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "a leap day is a day: {}",
        stderr(&o)
    );
}

/// `in_office` of the first leader mention of each record.
fn in_office(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let leader = r["entities"].as_array().unwrap().iter();
            let mut leader = leader.filter(|e| e["type"] == "leader");
            leader.next().unwrap()["in_office"].clone()
        })
        .collect()
}

#[test]
fn record_dates_in_common_forms_are_read_and_unreadable_ones_warned_once() {
    let line = |date: &str| format!("{{\"text\":\"Joe Biden spoke.\",\"date\":{date}}}\n");
    let input: String = [
        "\"2024-07-30\"",
        "\"30 July 2024\"",
        "\"July 30, 2024\"",
        "20240730",
        "\"30 July 2025\"",
        "\"2023-02-29\"",
        "\"next Tuesday\"",
    ]
    .map(line)
    .concat();
    let o = run_stdin(&["extract", "-"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dates: Vec<&str> = records
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2024-07-30",
            "30 July 2024",
            "July 30, 2024",
            "20240730",
            "30 July 2025",
            "2023-02-29",
            "next Tuesday"
        ],
        "every date kept as written, the numeric one too"
    );
    let t = Value::Bool(true);
    let f = Value::Bool(false);
    assert_eq!(
        in_office(&records),
        [
            t.clone(),
            t.clone(),
            t.clone(),
            t,
            f,
            Value::Null,
            Value::Null
        ]
    );
    let err = stderr(&o);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("warning"))
        .map(|l| l.split(" is not").next().unwrap())
        .collect();
    assert_eq!(
        warnings,
        ["entopic: warning: <stdin>:6: date \"2023-02-29\""],
        "once per file"
    );
}

#[test]
fn a_dateline_dates_a_text_file() {
    let case = Case::new();
    case.write(
        "story.txt",
        "Talks stall\n\nKYIV, March 4, 2025 — Joe Biden called for new talks.".as_bytes(),
    );
    case.write(
        "older.txt",
        "WASHINGTON (AP), 30 July 2024 - Joe Biden spoke.".as_bytes(),
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = case.records();
    let dates: Vec<&str> = records
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2024-07-30", "2025-03-04"]);
    assert_eq!(in_office(&records), [Value::Bool(true), Value::Bool(false)]);
}

#[test]
fn stdin_is_jsonl_when_it_starts_with_a_brace_else_text() {
    let text = "Kim Jong Un visited Moscow";
    let o = run_stdin(&["extract", "-"], &format!("{text}\n"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        ids_and_mentions(&records),
        [(
            "\"<stdin>\"".to_string(),
            vec!["Kim Jong Un".to_string(), "Moscow".to_string()]
        )]
    );
    let jsonl = "\n  {\"id\":\"a\",\"text\":\"Seoul\"}\n{\"id\":\"b\",\"text\":\"Tokyo\"}\n";
    let o = run_stdin(&["extract", "-"], jsonl);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ids_and_mentions(&records).len(), 2);
    assert_eq!(records[1]["id"], "b");
    // explain decides the same way.
    let o = run_stdin(&["explain", "-", "--json"], jsonl);
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    let o = run_stdin(&["explain", "-", "--json"], text);
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("Kim Jong Un"));
    // --input-format still wins: text that starts with `{` read as text.
    let o = run_stdin(
        &["extract", "-", "--input-format", "text"],
        "{not json} Seoul",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"text\":\"Seoul\""), "{}", stdout(&o));
}

#[test]
fn xlsx_on_a_full_disk_is_exit_2_not_a_panic() {
    use std::os::unix::process::CommandExt;
    let case = Case::new();
    let text =
        "Kim Jong Un met Vladimir Putin in Moscow, then flew to Seoul and Tokyo. ".repeat(40);
    for i in 0..300 {
        case.write(&format!("d{i:03}.txt"), text.as_bytes());
    }
    let (input, out) = (case.input(), case.out());
    let mut cmd = entopic(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "xlsx",
        "--quiet",
    ]);
    // A disk that fills after 64 KB: writes past it fail with EFBIG, as with ENOSPC.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 64 * 1024,
                rlim_max: 64 * 1024,
            };
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = cmd.env("RUST_BACKTRACE", "0").output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("entopic: error: cannot write output: results.xlsx: ")
            && last.contains("File too large"),
        "{err}"
    );
    assert!(!out.join("results.xlsx").exists());
}

#[test]
fn xlsx_is_byte_identical_between_identical_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut books = Vec::new();
    for (i, pause) in [(1, 0), (2, 1100)] {
        // A second apart: a timestamp with one-second resolution would differ.
        std::thread::sleep(std::time::Duration::from_millis(pause));
        let out = dir.path().join(format!("out{i}"));
        let o = extract_demo(&out, &["--format", "xlsx", "--quiet"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        books.push(std::fs::read(out.join("results.xlsx")).unwrap());
    }
    assert!(books[0] == books[1], "results.xlsx differs between runs");
}

#[test]
fn a_huge_topic_weight_gives_a_finite_contribution() {
    let dict = tempfile::tempdir().unwrap();
    std::fs::create_dir(dict.path().join("topics")).unwrap();
    std::fs::write(
        dict.path().join("topics/taxonomy.tsv"),
        "tag\tterm\tweight\nstrike\tmissile\t1e308\n",
    )
    .unwrap();
    let d = dict.path().to_str().unwrap();
    let input = "{\"id\":\"a\",\"text\":\"A missile, a missile, a missile.\"}\n";
    let o = run_stdin(&["extract", "-", "--dict", d, "--no-default-topics"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let record: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let evidence = &record["topics"][0]["evidence"][0];
    assert_eq!(evidence["term"], "missile");
    assert_eq!(
        evidence["contribution"].as_f64(),
        Some(f64::MAX),
        "{record}"
    );
    let schema = std::fs::read_to_string(common::root().join("schema/document.schema.json"));
    let schema: Value = serde_json::from_str(&schema.unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    assert!(validator.is_valid(&record), "{record}");
    let o = run_stdin(
        &["explain", "-", "--json", "--dict", d, "--no-default-topics"],
        input,
    );
    assert!(!stdout(&o).contains("null"), "{}", stdout(&o));
}

#[test]
fn a_dictionary_named_like_a_documents_column_is_rejected() {
    let dict = tempfile::tempdir().unwrap();
    for file in ["metas.tsv", "titles.tsv"] {
        std::fs::write(dict.path().join(file), "id\tname\nx\tOrbis Terrae\n").unwrap();
    }
    let d = dict.path().to_str().unwrap();
    let o = run_stdin(&["extract", "-", "--dict", d], "Orbis Terrae");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o).replace(&format!("{d}/"), "");
    for (file, kind) in [("metas.tsv", "meta"), ("titles.tsv", "title")] {
        let line = format!(
            "{file}:1: error: this file would define entity type \"{kind}\", which is already a \
             column of documents.csv: rename the file"
        );
        assert!(err.contains(&line), "{err}");
    }
    let o = run(&["dict", "check", "--dict", d]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn oversized_inputs_fail_as_the_readme_says() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(
            "a larger file, JSONL line or CSV row is not processed, nor held in memory; it is \
             listed in `errors.csv` as `failed` (so the run exits 1"
        ),
        "the README's promise changed: update this test with the behaviour"
    );
    let case = Case::new();
    case.write("big.txt", "Seoul ".repeat(400).as_bytes());
    case.write("feed.jsonl", b"{\"text\":\"Tokyo\"}\n");
    let o = case.run(&["--max-doc-size", "1K"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        case.errors(),
        ["big.txt,,failed,ingest,2400 bytes is over --max-doc-size (1024 bytes)"]
    );
    assert_eq!(case.records().len(), 1);
}

/// (text, start, end) of each mention of a record.
fn spans(record: &Value) -> Vec<(String, u64, u64)> {
    let entities = record["entities"].as_array().unwrap();
    entities
        .iter()
        .map(|e| {
            let text = e["text"].as_str().unwrap().to_string();
            (
                text,
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn html_keeps_the_article_drops_the_frame_and_tags_the_title() {
    let case = Case::new();
    case.write(
        "page.html",
        "<html><head><title>Pyongyang test-fires a missile | Daily Wire</title></head><body>\
         <header><p>Daily Wire</p><nav>Home | World | Russia | China</nav></header>\
         <main><article><h2>Launch</h2><p>Seoul said Tokyo was told.</p></article>\
         <aside>Most read: Cuba</aside></main>\
         <footer>UK edition | India edition</footer></body></html>"
            .as_bytes(),
    );
    case.write(
        "same.html",
        "<title>Seoul and Tokyo talk | Daily Wire</title><nav>Iran</nav>\
         <article><h1>Seoul and Tokyo talk</h1><p>Envoys met.</p></article>"
            .as_bytes(),
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = case.records();
    // The extracted text: the title, then the article; offsets count into it.
    let text =
        "Pyongyang test-fires a missile | Daily Wire\n\nLaunch\n\nSeoul said Tokyo was told.";
    assert_eq!(records[0]["chars"], text.chars().count());
    let expected: Vec<(String, u64, u64)> = ["Pyongyang", "missile", "Seoul", "Tokyo"]
        .iter()
        .map(|m| {
            let at = text.find(m).unwrap() as u64;
            (m.to_string(), at, at + m.len() as u64)
        })
        .collect();
    assert_eq!(spans(&records[0]), expected);
    assert_eq!(
        records[0]["title"],
        "Pyongyang test-fires a missile | Daily Wire"
    );
    // A title the headline repeats is not added twice.
    let text = "Seoul and Tokyo talk\n\nEnvoys met.";
    assert_eq!(records[1]["chars"], text.chars().count());
    assert_eq!(
        spans(&records[1]),
        [("Seoul".into(), 0, 5), ("Tokyo".into(), 10, 15)]
    );
}

#[test]
fn duplicate_ids_across_files_are_warned_with_both_places() {
    let case = Case::new();
    case.write(
        "a.jsonl",
        b"{\"id\":\"r1\",\"text\":\"Seoul\"}\n{\"id\":\"r2\",\"text\":\"Tokyo\"}\n",
    );
    case.write("b.csv", b"id,text\nr3,Iran\nr1,Iraq\n");
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let input = format!("{}/", case.input().display());
    let err = stderr(&o).replace(&input, "");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        ["entopic: warning: duplicate id \"r1\": b.csv:3 has the id of a.jsonl:1"]
    );
    assert_eq!(case.records().len(), 4, "both documents are kept");
}

#[test]
fn a_record_title_is_tagged_with_title_in_text_and_only_then() {
    let case = Case::new();
    case.write(
        "feed.jsonl",
        "{\"id\": \"a\", \"title\": \"Putin flies to Pyongyang\", \"text\": \"Talks with Kim Jong Un began.\"}\n\
         {\"id\": \"b\", \"text\": \"No title: Seoul.\"}\n"
            .as_bytes(),
    );
    case.write(
        "sheet.csv",
        "id,title,text\nc,Ukraine asks for HIMARS,\"Kyiv said so, again.\"\n".as_bytes(),
    );
    // Without the flag the text is the text field exactly and the title is carried untagged.
    let o = case.run(&["--date", "2024-06-19"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = case.records();
    assert_eq!(spans(&records[0]), [("Kim Jong Un".into(), 11, 22)]);
    assert_eq!(records[0]["title"], "Putin flies to Pyongyang");
    // With it, the title is the first paragraph: offsets count from its first character.
    let o = case.run(&["--date", "2024-06-19", "--title-in-text"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = case.records();
    let text = "Putin flies to Pyongyang\n\nTalks with Kim Jong Un began.";
    assert_eq!(records[0]["chars"], text.chars().count());
    assert_eq!(
        spans(&records[0]),
        [
            ("Putin".into(), 0, 5),
            ("Pyongyang".into(), 15, 24),
            ("Kim Jong Un".into(), 37, 48)
        ]
    );
    assert_eq!(records[0]["title"], "Putin flies to Pyongyang");
    // A record without a title is unchanged.
    assert_eq!(spans(&records[1]), [("Seoul".into(), 10, 15)]);
    assert_eq!(
        spans(&records[2]),
        [
            ("Ukraine".into(), 0, 7),
            ("HIMARS".into(), 17, 23),
            ("Kyiv".into(), 25, 29)
        ]
    );
}
