//! Why a document got its tags: the entities found and every tag's score with its evidence.
//!
//! In: a document, what [`crate::Pipeline::explain`] found (the analysis and all scores, from the
//! taxonomy and any learned model) and the threshold. Out: a readable report for the terminal
//! ([`text`]) or a JSON object ([`json`]). Every tag is listed, highest score first, including
//! those under the threshold and those with no evidence at all, and the ones the document is
//! given (what `extract` would report) are marked — what an analyst runs when a tag surprises
//! them.

use crate::classify::{length_factor, words};
use crate::context::Reason;
use crate::document::{Analysis, Document, Form, Mention, TopicScore};
use crate::export::round4;
use crate::normalize::fold;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Whether `score` is one of the tags the document was given.
fn reported(analysis: &Analysis, score: &TopicScore) -> bool {
    analysis
        .topics
        .iter()
        .any(|t| t.tag == score.tag && t.source == score.source)
}

/// Why a surname with no full mention or title before it was kept (form `surname`).
const SURNAME_ALONE: &str =
    "a surname alone: marked ! (prominent) in the dictionary, no common word \
     or place, and the only leader of that name (or the one in office on the date)";

/// Role and attributes of a mention, as `key=value` pairs.
fn details(m: &Mention) -> Vec<String> {
    let mut out = Vec::new();
    if m.form == Form::Surname {
        out.push(SURNAME_ALONE.to_string());
    }
    if let Some(role) = &m.role_on_date {
        match role {
            Some(title) => out.push(format!("in office as {title}")),
            None => out.push("not in office on the date".to_string()),
        }
    }
    out.extend(m.entity.attributes.iter().map(|(k, v)| format!("{k}={v}")));
    out
}

/// The report for a terminal.
pub fn text(doc: &Document, analysis: &Analysis, all: &[TopicScore], threshold: f64) -> String {
    let mut s = String::new();
    let word_count = words(&fold(&doc.text).text).count();
    let _ = writeln!(s, "document  {}", doc.id);
    if let Some(title) = &doc.title {
        let _ = writeln!(s, "title     {title}");
    }
    if let Some(date) = &doc.date {
        let _ = writeln!(s, "date      {date}");
    }
    let _ = writeln!(
        s,
        "length    {} characters, {word_count} words (taxonomy evidence divided by {:.2})",
        doc.text.chars().count(),
        length_factor(word_count)
    );

    let _ = writeln!(s, "\nentities ({})", analysis.mentions.len());
    if analysis.mentions.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for m in &analysis.mentions {
        let _ = writeln!(
            s,
            "  {:<8} {:<24} {:<28} {:>6}..{:<6} bytes {}..{}  {}{}",
            m.entity.kind,
            m.entity.id,
            format!("{:?}", m.text),
            m.start,
            m.end,
            m.byte_start,
            m.byte_end,
            m.form,
            details(m)
                .iter()
                .map(|d| format!("; {d}"))
                .collect::<String>()
        );
    }

    let dropped: Vec<_> = analysis
        .rejected
        .iter()
        .filter(|r| r.reason != Reason::Overlapped)
        .collect();
    if !dropped.is_empty() {
        let _ = writeln!(s, "\ndropped matches ({})", dropped.len());
    }
    for r in dropped {
        let m = &r.mention;
        let _ = writeln!(
            s,
            "  {:<8} {:<24} {:<28} {:>6}..{:<6} {}",
            m.entity.kind,
            m.entity.id,
            format!("{:?}", m.text),
            m.start,
            m.end,
            r.reason.as_str()
        );
    }

    let _ = writeln!(
        s,
        "\ntopics (threshold {threshold:.2}; * = given to the document)"
    );
    for score in all {
        let mark = if reported(analysis, score) { '*' } else { ' ' };
        let _ = writeln!(
            s,
            "{mark} {:.4}  {:<36} {:<10} raw {:+.4}{}",
            score.score,
            score.tag,
            score.source,
            score.raw,
            if score.evidence.is_empty() {
                "  (no evidence)"
            } else {
                ""
            }
        );
        for e in &score.evidence {
            let _ = writeln!(
                s,
                "            {:+.4}  {} ×{}",
                e.contribution, e.term, e.count
            );
        }
    }
    s
}

/// The report as one JSON object: `{"id", "title"?, "date"?, "words", "threshold",
/// "entities": [as in extract's records], "rejected"?: [dropped matches, with "reason"], "topics": [{"tag", "score", "raw", "source",
/// "reported", "evidence": [{"term", "count", "contribution"}]}]}`.
pub fn json(doc: &Document, analysis: &Analysis, all: &[TopicScore], threshold: f64) -> Value {
    let record = crate::export::record(doc, analysis);
    let mut out = serde_json::Map::new();
    out.insert("id".into(), doc.id.clone().into());
    if let Some(title) = &doc.title {
        out.insert("title".into(), title.clone().into());
    }
    if let Some(date) = &doc.date {
        out.insert("date".into(), date.clone().into());
    }
    out.insert("words".into(), words(&fold(&doc.text).text).count().into());
    out.insert("threshold".into(), threshold.into());
    out.insert("entities".into(), record["entities"].clone());
    if let Some(rejected) = record.get("rejected") {
        out.insert("rejected".into(), rejected.clone());
    }
    let topics: Vec<Value> = all
        .iter()
        .map(|t| {
            let evidence: Vec<Value> = t
                .evidence
                .iter()
                .map(|e| json!({"term": e.term, "count": e.count, "contribution": round4(e.contribution)}))
                .collect();
            let mut topic = json!({"tag": t.tag, "score": t.score, "raw": round4(t.raw),
                   "source": &*t.source, "reported": reported(analysis, t), "evidence": evidence});
            if let Some(scheme) = &t.scheme {
                topic["scheme"] = json!(&**scheme);
            }
            topic
        })
        .collect();
    out.insert("topics".into(), topics.into());
    Value::Object(out)
}

/// `dict lookup`: the mentions found in a short text, and each match the rules dropped with the
/// rule and what it found ("no mentions" alone said nothing about why).
pub fn lookup_text(analysis: &Analysis) -> String {
    let mut s = String::new();
    let dropped: Vec<_> = analysis
        .rejected
        .iter()
        .filter(|r| r.reason != Reason::Overlapped)
        .collect();
    if analysis.mentions.is_empty() && dropped.is_empty() {
        let _ = writeln!(s, "no mentions: no dictionary alias matches this text");
    } else if analysis.mentions.is_empty() {
        let _ = writeln!(s, "no mentions");
    }
    for m in &analysis.mentions {
        let details = details(m);
        let _ = writeln!(
            s,
            "{:?} [{}..{}] → {} {} ({}) as {}{}",
            m.text,
            m.start,
            m.end,
            m.entity.kind,
            m.entity.id,
            m.entity.name,
            m.form,
            if details.is_empty() {
                String::new()
            } else {
                format!("; {}", details.join(", "))
            }
        );
    }
    for r in dropped {
        let m = &r.mention;
        let _ = writeln!(
            s,
            "dropped {:?} [{}..{}] → {} {} ({}): {}: {}",
            m.text,
            m.start,
            m.end,
            m.entity.kind,
            m.entity.id,
            m.entity.name,
            r.reason.as_str(),
            r.reason.explanation()
        );
    }
    s
}

/// `dict lookup --json`: `{"text", "folded", "date"?, "entities": [as in extract's records],
/// "dropped": [the same, with "reason" and "why"]}`.
pub fn lookup_json(doc: &Document, analysis: &Analysis, folded: &str) -> Value {
    let record = crate::export::record(doc, analysis);
    let empty = Vec::new();
    let reasons = analysis.rejected.iter();
    let dropped: Vec<Value> = record
        .get("rejected")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .zip(reasons)
        .filter(|(_, r)| r.reason != Reason::Overlapped)
        .map(|(v, r)| {
            let mut v = v.clone();
            v["why"] = r.reason.explanation().into();
            v
        })
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("text".into(), doc.text.clone().into());
    out.insert("folded".into(), folded.into());
    if let Some(date) = &doc.date {
        out.insert("date".into(), date.clone().into());
    }
    out.insert("entities".into(), record["entities"].clone());
    out.insert("dropped".into(), dropped.into());
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::{Dictionary, Source};
    use crate::Pipeline;

    fn pipeline() -> Pipeline {
        let mut sources = Source::bundled();
        sources.retain(|s| !s.relative.starts_with("topics/"));
        sources.push(Source {
            path: "t.tsv".into(),
            relative: "topics/t.tsv".into(),
            text: "tag\tterm\tweight\nSanctions\tsanction\t3\nSanctions\tmatch\t-1\n\
                   Nuclear\t@weapon\t2\nNuclear\tlaunch\t1\nGender\twomen\t1\n"
                .into(),
        });
        Pipeline::builder()
            .dictionary(Dictionary::load(sources).unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn text_report_lists_entities_and_every_tag() {
        let p = pipeline();
        let doc = Document::new(
            "d1",
            "North Korea launched a Hwasong-15. New sanctions followed.",
        );
        let (analysis, all) = p.explain(&doc);
        let report = text(&doc, &analysis, &all, 0.5);
        let expected = "\
document  d1
length    58 characters, 9 words (taxonomy evidence divided by 1.00)

entities (2)
  country  PRK                      \"North Korea\"                     0..11     bytes 0..11  name; iso2=KP
  weapon   hwasong-15               \"Hwasong-15\"                     23..33     bytes 23..33  name; kind=system; class=icbm; origin=PRK

topics (threshold 0.50; * = given to the document)
* 0.5276  Nuclear                              taxonomy   raw +3.0000
            +2.0000  @weapon ×1
            +1.0000  launch ×1
* 0.5276  Sanctions                            taxonomy   raw +3.0000
            +3.0000  sanction ×1
  0.0000  Gender                               taxonomy   raw +0.0000  (no evidence)
";
        assert_eq!(report, expected);
    }

    #[test]
    fn json_report_marks_what_is_reported() {
        let p = pipeline();
        let doc = Document::new("d2", "Sanctions, after the match.");
        let (analysis, all) = p.explain(&doc);
        let v = json(&doc, &analysis, &all, 0.5);
        assert_eq!(v["words"], 4);
        assert_eq!(v["entities"], json!([]));
        let topics = v["topics"].as_array().unwrap();
        assert_eq!(topics.len(), 3);
        assert_eq!(
            topics[0],
            json!({"tag": "Sanctions", "score": 0.3935, "raw": 2.0, "source": "taxonomy",
                   "reported": false, "evidence": [
                       {"term": "sanction", "count": 1, "contribution": 3.0},
                       {"term": "match", "count": 1, "contribution": -1.0}]})
        );
    }
}
