//! USIP's vocabulary in the bundled taxonomy, through the real binary: each topic says whose
//! scheme it is, evidence means the topic (the month "March" is no protest, "civilians.
//! Military" across a sentence end is no civil-military evidence), and `entopic evaluate`
//! scores an analyst's own labels through a tag map, aliases and one scheme.

mod common;

use common::{run, run_stdin, stderr, stdout};

/// The tags `extract` gives one text, with their schemes.
fn tags(text: &str) -> Vec<(String, String)> {
    let o = run_stdin(&["extract", "-", "--input-format", "text"], text);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let record: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    record["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tag"].as_str().unwrap().to_string(),
                t["scheme"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(tags: &[(String, String)], tag: &str) -> bool {
    tags.iter().any(|(t, _)| t == tag)
}

#[test]
fn every_taxonomy_topic_says_its_scheme() {
    let found = tags(
        "Election violence flared after the disputed election results: polling stations \
         were burned and voter intimidation was reported. The EU imposed sanctions and an \
         asset freeze on the officials responsible.",
    );
    assert!(
        found.contains(&("Electoral Violence".into(), "usip".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("Sanctions".into(), "entopic".into())),
        "{found:?}"
    );
}

#[test]
fn evidence_must_mean_the_topic() {
    // Must NOT fire: the month, a general election, civilians then the military.
    let month =
        tags("In March the central bank raised interest rates and inflation slowed in March.");
    assert!(!has(&month, "Nonviolent Action"), "{month:?}");
    let general = tags(
        "The general election was held in general calm; turnout was in line with the general trend.",
    );
    assert!(!has(&general, "Civilian-Military Relations"), "{general:?}");
    let boundary = tags(
        "Gunmen killed three civilians. Military commanders said roads were reopened and \
         fighting had displaced thousands.",
    );
    assert!(
        !has(&boundary, "Civilian-Military Relations"),
        "{boundary:?}"
    );
    // Must fire: marchers, and the army's hold on government.
    let protest = tags(
        "Thousands of students marched to parliament; the marches and a sit-in continued \
         for a week as protesters demanded reforms.",
    );
    assert!(has(&protest, "Nonviolent Action"), "{protest:?}");
    let junta = tags(
        "Six months after the coup, the military junta has set no date for a return to \
         civilian rule, and the army chief now runs the defence ministry.",
    );
    assert!(has(&junta, "Civilian-Military Relations"), "{junta:?}");
}

#[test]
fn evaluate_reads_an_analysts_labels_through_a_tag_map_and_a_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("mine.jsonl");
    std::fs::write(
        &gold,
        concat!(
            r#"{"body": "Election violence flared after the disputed election results: polling stations were burned and voter intimidation was reported.", "labels": ["Global Elections & Conflict"]}"#,
            "\n",
            r#"{"body": "The EU imposed sanctions and an asset freeze on the officials responsible for the crackdown on protesters.", "labels": ["punitive measures", "street politics"]}"#,
            "\n",
        ),
    )
    .unwrap();
    let map = dir.path().join("map.tsv");
    std::fs::write(
        &map,
        "# my labels -> taxonomy tags\nstreet politics\tNonviolent Action\npunitive measures\t-\n",
    )
    .unwrap();
    let (gold_s, map_s) = (gold.to_str().unwrap(), map.to_str().unwrap());
    let o = run(&[
        "evaluate",
        "--gold",
        gold_s,
        "--tag-map",
        map_s,
        "--scheme",
        "usip",
        "--text-field",
        "body",
        "--label-field",
        "labels",
        "--errors",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // The alias maps the older USIP name; "punitive measures" is ignored; Sanctions (entopic's
    // own) is left out of the scoring under --scheme usip.
    assert!(
        out.contains("\nElectoral Violence                               1      1      1      0      0      1.000   1.000  1.000\n"),
        "{out}"
    );
    assert!(!out.contains("\nSanctions "), "{out}");
    assert!(
        out.contains("hit@1 (top tag is a gold tag): 2/2 = 1.000\n"),
        "{out}"
    );
    assert!(
        out.contains("\nline 1: extra tag \"Democracy & Governance\"\n"),
        "ids default to the line: {out}"
    );

    // Without the scheme, entopic's Sanctions tag counts as an extra tag.
    let o = run(&[
        "evaluate",
        "--gold",
        gold_s,
        "--tag-map",
        map_s,
        "--text-field",
        "body",
        "--label-field",
        "labels",
        "--errors",
    ]);
    assert!(
        stdout(&o).contains("line 2: extra tag \"Sanctions\"\n"),
        "{}",
        stdout(&o)
    );

    // A bad map row stops with path:line.
    std::fs::write(&map, "street politics\n").unwrap();
    let o = run(&["evaluate", "--gold", gold_s, "--tag-map", map_s]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!("entopic: error: {map_s}:1: expected label<TAB>tag\n")
    );
}
