//! The JSON record of one document, shared by the JSONL and JSON writers.
//!
//! ```text
//! {"id", "path"?, "title"?, "date"?, "encoding", "chars", "meta"?,
//!  "entities": [{"type", "id", "name", "text", "start", "end", "byte_start", "byte_end", "form",
//!                "in_office"?, "role"?, …dictionary attributes}],
//!  "topics": [{"tag", "score", "evidence": [{"term", "count", "contribution"}]}],
//!  "rejected"?: [{…as in entities, "reason"}]}
//! ```
//! Keys appear in this order. `start`/`end` count Unicode scalar values (Python `str` indexes),
//! `byte_start`/`byte_end` UTF-8 bytes, both into the document text as read. `in_office` appears
//! for a leader when the document date is known (`role` names the role held then). `rejected`
//! appears with `--all-candidates`: the matches the rules dropped, with the reason.

use crate::document::{Analysis, Document, Mention, TopicScore};
use serde_json::{json, Map, Value};

/// The record for one document.
pub fn record(doc: &Document, analysis: &Analysis) -> Value {
    let mut r = Map::new();
    r.insert("id".into(), doc.id.clone().into());
    if let Some(path) = &doc.path {
        r.insert("path".into(), path.clone().into());
    }
    if let Some(title) = &doc.title {
        r.insert("title".into(), title.clone().into());
    }
    if let Some(date) = &doc.date {
        r.insert("date".into(), date.clone().into());
    }
    r.insert("encoding".into(), doc.encoding.clone().into());
    r.insert("chars".into(), doc.text.chars().count().into());
    if !doc.meta.is_empty() {
        r.insert("meta".into(), Value::Object(doc.meta.clone()));
    }
    r.insert(
        "entities".into(),
        analysis.mentions.iter().map(entity).collect(),
    );
    r.insert("topics".into(), analysis.topics.iter().map(topic).collect());
    if !analysis.rejected.is_empty() {
        let rejected = analysis.rejected.iter().map(|r| {
            let mut e = entity(&r.mention);
            e["reason"] = r.reason.as_str().into();
            e
        });
        r.insert("rejected".into(), rejected.collect());
    }
    Value::Object(r)
}

fn entity(m: &Mention) -> Value {
    let mut e = Map::new();
    e.insert("type".into(), m.entity.kind.clone().into());
    e.insert("id".into(), m.entity.id.clone().into());
    e.insert("name".into(), m.entity.name.clone().into());
    e.insert("text".into(), m.text.clone().into());
    e.insert("start".into(), m.start.into());
    e.insert("end".into(), m.end.into());
    e.insert("byte_start".into(), m.byte_start.into());
    e.insert("byte_end".into(), m.byte_end.into());
    e.insert("form".into(), m.form.into());
    if let Some(role) = &m.role_on_date {
        e.insert("in_office".into(), role.is_some().into());
        if let Some(title) = role {
            e.insert("role".into(), title.clone().into());
        }
    }
    for (k, v) in &m.entity.attributes {
        e.insert(k.clone(), v.clone().into());
    }
    Value::Object(e)
}

fn topic(t: &TopicScore) -> Value {
    let evidence: Vec<Value> = t
        .evidence
        .iter()
        .map(|e| json!({"term": e.term, "count": e.count, "contribution": (e.contribution * 1e4).round() / 1e4}))
        .collect();
    json!({"tag": t.tag, "score": t.score, "evidence": evidence})
}
