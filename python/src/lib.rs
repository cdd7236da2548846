//! `entopic._entopic`: the Rust half of the Python package `entopic`.
//!
//! In: plain Python values (texts, ids, dates, a JSON string of extra fields). Out: each
//! document's result as its JSONL record, the very line `entopic extract` writes, as a `str`.
//! The pure-Python half (`python/entopic/__init__.py`) turns records into dicts and tables and
//! defines the exception classes this module raises, so the wire format has one definition (the
//! crate's JSON writer) and the Python API one home.
//!
//! Analysis runs with the GIL released; batches run on a rayon pool and keep their order.

use entopic::dictionary::Source;
use entopic::ingest::{self, InputOptions};
use entopic::topics::TopicModel;
use entopic::{Date, Dictionary, Pipeline as Inner, PipelineBuilder};
use pyo3::prelude::*;
use rayon::prelude::*;
use std::path::PathBuf;

/// Raises the exception class `name` defined in the Python package (`entopic.InputError`, …).
fn error(py: Python<'_>, name: &str, message: String) -> PyErr {
    match py
        .import("entopic")
        .and_then(|m| m.getattr(name))
        .and_then(|class| class.call1((message.clone(),)))
    {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

/// A date given as an option: `YYYY-MM-DD`, checked now rather than ignored later.
fn checked_date(py: Python<'_>, what: &str, date: Option<String>) -> PyResult<Option<Date>> {
    date.map(|d| {
        Date::parse(&d).map_err(|_| {
            let message = format!("{what} {d:?} is not a date of the form YYYY-MM-DD");
            error(py, "InputError", message)
        })
    })
    .transpose()
}

/// The settings of a pipeline, checked.
fn settings(
    py: Python<'_>,
    date: Option<String>,
    topic_threshold: Option<f64>,
    top: Option<usize>,
    default_topics: bool,
    all_candidates: bool,
) -> PyResult<PipelineBuilder> {
    let mut settings = Inner::builder()
        .default_topics(default_topics)
        .all_candidates(all_candidates);
    if let Some(date) = checked_date(py, "date", date)? {
        settings = settings.default_date(date);
    }
    if let Some(k) = top {
        settings = settings.top_topics(k);
    }
    if let Some(t) = topic_threshold {
        // Checked again by the builder; said here in the Python argument's words.
        if !(0.0..=1.0).contains(&t) {
            let message = format!("topic_threshold {t} is outside 0..1");
            return Err(error(py, "InputError", message));
        }
        settings = settings.topic_threshold(t);
    }
    Ok(settings)
}

/// The dictionary sources: the bundled ones (unless left out) and every file of each folder.
fn sources(py: Python<'_>, dicts: &[PathBuf], default_dicts: bool) -> PyResult<Vec<Source>> {
    let mut sources = if default_dicts {
        Source::bundled()
    } else {
        Vec::new()
    };
    for dir in dicts {
        let read = Source::read_dir(dir).map_err(|e| {
            let message = format!("{}: {e}", dir.display());
            error(py, "DictionaryError", message)
        })?;
        sources.extend(read);
    }
    if sources.is_empty() {
        let message = "no dictionaries: default_dicts=False needs dicts".to_string();
        return Err(error(py, "DictionaryError", message));
    }
    Ok(sources)
}

/// Analyzes one JSON record (the fields of a JSONL input line) and renders its JSONL record.
/// `position` names it in errors.
fn record(
    inner: &Inner,
    options: &InputOptions,
    position: usize,
    json: String,
) -> Result<String, String> {
    let doc =
        ingest::document_from_json(ingest::STDIN, position as u64, json.into_bytes(), options)
            .map_err(|e| format!("document {position}: {}", e.reason))?;
    let analysis = inner.analyze(&doc);
    let mut out = Vec::with_capacity(512 + 256 * analysis.mentions.len());
    entopic::export::write_record(&mut out, &doc, &analysis);
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// A loaded, compiled pipeline (dictionaries, automaton, taxonomy, topic models).
#[pyclass(frozen, module = "entopic._entopic")]
struct Pipeline {
    inner: Inner,
}

#[pymethods]
impl Pipeline {
    #[new]
    #[pyo3(signature = (dicts, topic_models, date, topic_threshold, top, default_dicts,
                        default_topics, all_candidates))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        dicts: Vec<PathBuf>,
        topic_models: Vec<PathBuf>,
        date: Option<String>,
        topic_threshold: Option<f64>,
        top: Option<usize>,
        default_dicts: bool,
        default_topics: bool,
        all_candidates: bool,
    ) -> PyResult<Self> {
        let settings = settings(
            py,
            date,
            topic_threshold,
            top,
            default_topics,
            all_candidates,
        )?;
        let sources = sources(py, &dicts, default_dicts)?;
        let dictionary =
            Dictionary::load(sources).map_err(|e| error(py, "DictionaryError", e.to_string()))?;
        let mut settings = settings.dictionary(dictionary);
        for path in topic_models {
            let model =
                TopicModel::load(&path).map_err(|e| error(py, "TopicModelError", e.to_string()))?;
            settings = settings.topic_model(model);
        }
        let inner = settings
            .build()
            .map_err(|e| error(py, "DictionaryError", e.to_string()))?;
        Ok(Pipeline { inner })
    }

    /// Entity types, in dictionary order.
    fn types(&self) -> Vec<String> {
        self.inner.types().to_vec()
    }

    /// The JSONL records of documents given as JSON objects (JSONL input lines), in order, on
    /// `jobs` threads (all cores if None), with the GIL released. `first` is the position of
    /// the first of them, for error messages; `title_in_text` as `extract --title-in-text`.
    #[pyo3(signature = (docs, first, text_field, id_field, jobs=None, title_in_text=false))]
    #[allow(clippy::too_many_arguments)]
    fn analyze_json(
        &self,
        py: Python<'_>,
        docs: Vec<String>,
        first: usize,
        text_field: String,
        id_field: String,
        jobs: Option<usize>,
        title_in_text: bool,
    ) -> PyResult<Vec<String>> {
        let options = InputOptions {
            text_field,
            id_field,
            title_in_text,
            ..InputOptions::default()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(0))
            .build()
            .map_err(|e| error(py, "Error", e.to_string()))?;
        let results: Vec<Result<String, String>> = py.detach(|| {
            pool.install(|| {
                docs.into_par_iter()
                    .enumerate()
                    .map(|(i, d)| record(&self.inner, &options, first + i, d))
                    .collect()
            })
        });
        results
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| error(py, "InputError", e))
    }
}

/// `mentions.csv`'s context column for each byte span of `text`: up to 60 characters each
/// side, on the mention's line, whitespace collapsed.
#[pyfunction]
fn contexts(py: Python<'_>, text: &str, spans: Vec<(usize, usize)>) -> PyResult<Vec<String>> {
    let valid = |s: usize, e: usize| s <= e && text.is_char_boundary(s) && text.is_char_boundary(e);
    spans
        .into_iter()
        .map(|(s, e)| match valid(s, e) {
            true => Ok(entopic::export::context(text, s, e)),
            false => Err(error(
                py,
                "InputError",
                format!("byte span {s}..{e} does not fit the text"),
            )),
        })
        .collect()
}

/// The compiled half of the `entopic` package.
#[pymodule]
fn _entopic(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_function(wrap_pyfunction!(contexts, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MENTION_COLUMNS", entopic::export::MENTION_COLUMNS.to_vec())?;
    Ok(())
}
