//! Labelled documents for training and cross-validation.
//!
//! In: a JSON Lines file (`{"text": "...", "topics": ["Sanctions", …]}`; the label field may also
//! hold one string) or a CSV/TSV file with a header (a text column and a label column whose
//! labels are separated by `;` or `|`). Out: the documents in file order, each with its labels,
//! main label first. Any bad line stops the read with `path:line: message`: a model silently
//! trained on part of its data would be worse than none.

use serde_json::Value;
use std::path::Path;

/// One document and its labels (main label first; may be empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub text: String,
    pub labels: Vec<String>,
}

/// Which fields hold the text and the labels.
#[derive(Debug, Clone)]
pub struct Fields {
    pub text: String,
    pub labels: String,
}

/// Reading labelled documents failed.
#[derive(Debug, thiserror::Error)]
#[error("{path}{}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ReadError {
    pub path: String,
    pub line: Option<u64>,
    pub message: String,
}

/// Reads a labelled file: JSON Lines (`.jsonl`, `.ndjson`, `.json`), CSV (`.csv`) or TSV
/// (`.tsv`), by extension.
pub fn read(path: &Path, fields: &Fields) -> Result<Vec<Labelled>, ReadError> {
    let shown = path.display().to_string();
    let fail = |line: Option<u64>, message: String| ReadError {
        path: shown.clone(),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(None, e.to_string()))?;
    let (text, _) = crate::ingest::decode(&bytes).map_err(|e| fail(None, e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => read_jsonl(&text, fields, &fail),
        "csv" => read_rows(&text, b',', fields, &fail),
        "tsv" => read_rows(&text, b'\t', fields, &fail),
        _ => Err(fail(
            None,
            "expected a .jsonl, .csv or .tsv file of labelled documents".into(),
        )),
    }
}

fn read_jsonl(
    text: &str,
    fields: &Fields,
    fail: &dyn Fn(Option<u64>, String) -> ReadError,
) -> Result<Vec<Labelled>, ReadError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = Some(i as u64 + 1);
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(line).map_err(|e| fail(at, e.to_string()))?;
        let Some(text) = record.get(&fields.text).and_then(Value::as_str) else {
            return Err(fail(at, format!("no string field {:?}", fields.text)));
        };
        let labels = match record.get(&fields.labels) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(str::trim).map(String::from).ok_or_else(|| {
                        fail(at, format!("field {:?} must hold strings", fields.labels))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(Value::String(s)) => split_labels(s),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                return Err(fail(
                    at,
                    format!(
                        "field {:?} must be a list of labels or one label",
                        fields.labels
                    ),
                ))
            }
        };
        out.push(Labelled {
            text: text.to_string(),
            labels: labels.into_iter().filter(|l| !l.is_empty()).collect(),
        });
    }
    Ok(out)
}

fn read_rows(
    text: &str,
    delimiter: u8,
    fields: &Fields,
    fail: &dyn Fn(Option<u64>, String) -> ReadError,
) -> Result<Vec<Labelled>, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| fail(Some(1), e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| fail(Some(1), format!("no column {name:?} in the header")))
    };
    let (text_at, labels_at) = (column(&fields.text)?, column(&fields.labels)?);
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| fail(e.position().map(|p| p.line()), e.to_string()))?;
        out.push(Labelled {
            text: row.get(text_at).unwrap_or("").to_string(),
            labels: split_labels(row.get(labels_at).unwrap_or("")),
        });
    }
    Ok(out)
}

/// `a; b | c` → `[a, b, c]`.
fn split_labels(cell: &str) -> Vec<String> {
    cell.split([';', '|'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            text: "text".into(),
            labels: "topics".into(),
        }
    }

    fn write(name: &str, content: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        (dir, path)
    }

    #[test]
    fn jsonl_with_lists_single_labels_and_none() {
        let (_d, path) = write(
            "l.jsonl",
            "{\"text\": \"a\", \"topics\": [\"X\", \"Y\"]}\n\n{\"text\": \"b\", \"topics\": \"Z\"}\n{\"text\": \"c\"}\n",
        );
        let docs = read(&path, &fields()).unwrap();
        let got: Vec<(&str, Vec<&str>)> = docs
            .iter()
            .map(|d| {
                (
                    d.text.as_str(),
                    d.labels.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("a", vec!["X", "Y"]), ("b", vec!["Z"]), ("c", vec![])]
        );
    }

    #[test]
    fn csv_with_label_column() {
        let (_d, path) = write(
            "l.csv",
            "id,body,label\n1,\"x, y\",sport\n2,z,politics; tech\n",
        );
        let f = Fields {
            text: "body".into(),
            labels: "label".into(),
        };
        let docs = read(&path, &f).unwrap();
        assert_eq!(docs[0].text, "x, y");
        assert_eq!(docs[1].labels, ["politics", "tech"]);
    }

    #[test]
    fn bad_input_names_the_line() {
        let (_d, path) = write(
            "l.jsonl",
            "{\"text\": \"a\", \"topics\": []}\n{\"topics\": []}\n",
        );
        let e = read(&path, &fields()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:2: no string field \"text\"", path.display())
        );
        let (_d, path) = write("l.csv", "body,label\nx,y\n");
        let e = read(&path, &fields()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:1: no column \"text\" in the header", path.display())
        );
        let (_d, path) = write("l.txt", "x");
        assert!(read(&path, &fields())
            .unwrap_err()
            .to_string()
            .ends_with("expected a .jsonl, .csv or .tsv file of labelled documents"));
    }
}
