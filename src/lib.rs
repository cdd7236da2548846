//! entopic: tag political leaders, countries and weapons systems in news and policy documents,
//! classify each document into topic tags, and export the results.
//!
//! The stages run in one direction — ingest → normalize → tag → classify → export — and a
//! [`Pipeline`] holds everything that is expensive to build (dictionaries, the automaton, the
//! taxonomy). Build it once and call [`Pipeline::analyze`] from any number of threads.
//!
//! ```
//! use entopic::{Document, Form, Pipeline};
//!
//! let pipeline = Pipeline::bundled().unwrap();
//! let doc = Document::new("d1", "North Korea’s leader Kim Jong Un watched the launch. \
//!                                The Hwasong-15 flew toward Japan.");
//! let analysis = pipeline.analyze(&doc);
//! let found: Vec<(&str, &str, &str, usize, usize)> = analysis
//!     .mentions
//!     .iter()
//!     .map(|m| (m.entity.kind.as_str(), m.entity.id.as_str(), m.text.as_str(), m.start, m.end))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("country", "PRK", "North Korea", 0, 11),
//!         ("leader", "kim-jong-un", "Kim Jong Un", 21, 32),
//!         ("weapon", "hwasong-15", "Hwasong-15", 57, 67),
//!         ("country", "JPN", "Japan", 80, 85),
//!     ]
//! );
//! // Byte ranges slice the Rust string; character ranges index a Python one.
//! let kim = &analysis.mentions[1];
//! assert_eq!((kim.bytes(), kim.chars()), (23..34, 21..32));
//! assert_eq!(&doc.text[kim.bytes()], "Kim Jong Un");
//! assert_eq!(kim.form, Form::Name);
//! ```
//!
//! Settings are checked when the pipeline is built, and the results serialize to the same JSON
//! record as a line of `documents.jsonl`:
//!
//! ```
//! use entopic::{Date, Document, Pipeline};
//!
//! let pipeline = Pipeline::builder()
//!     .default_date("2019-06-30".parse::<Date>().unwrap())
//!     .topic_threshold(0.3)
//!     .build()
//!     .unwrap();
//! let analysis = pipeline.analyze(&Document::new("d1", "Donald Trump met Kim Jong Un."));
//! let trump = &analysis.mentions[0];
//! assert_eq!(trump.role_on_date, Some(Some("President".to_string())));
//! let line = analysis.to_json(&Document::new("d1", "Donald Trump met Kim Jong Un."));
//! assert!(line.starts_with(r#"{"id":"d1","encoding":"utf-8","chars":29,"entities":[{"type":"leader""#));
//!
//! assert!(Pipeline::builder().topic_threshold(7.0).build().is_err());
//! assert!("June 2019".parse::<Date>().is_err());
//! ```
//!
//! With the default `cli` feature the crate also carries the `entopic` command line tool's
//! parts (input readers, batch runner, output formats, report); they are hidden from this
//! documentation and are not a stable API. `entopic = { default-features = false }` compiles
//! only the pipeline.

#![deny(missing_docs)]
// Without the tool, a few internals only it calls (diagnostics, training helpers) go unused;
// dead code is found in the full build, which clippy checks.
#![cfg_attr(not(feature = "cli"), allow(dead_code))]

/// Declares modules that are public with the `cli` feature (for the `entopic` binary, its
/// integration tests and benches; hidden from the documentation, not a stable API) and private
/// without it.
macro_rules! internal {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "cli")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "cli"))]
        mod $name;
    )*};
}

/// Declares modules that only the `entopic` tool needs: absent without the `cli` feature.
macro_rules! cli_only {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "cli")]
        #[doc(hidden)]
        pub mod $name;
    )*};
}

// The pipeline.
mod date;
mod record;
mod settings;
mod tsv;
internal!(
    classify,
    context,
    dates,
    designation,
    dictionary,
    document,
    name_guard,
    normalize,
    patterns,
    scan,
    tag,
    topics,
);

// The command line tool.
cli_only!(evaluate, explain, export, ingest, outdir, report, resume, run, runinfo, segment);

pub use date::{Date, DateError};
pub use dictionary::{
    Dictionary, Entity, LoadError, Position, Problem, Role, RoleDate, Severity, Source,
};
pub use document::{Analysis, Document, Evidence, Form, Mention, Reason, Rejected, TopicScore};
pub use settings::{PipelineBuilder, SettingError, Settings};
pub use topics::{ModelError, TopicModel};
pub use tsv::{ErrorKind, TsvError};

use classify::Classifier;
use std::time::{Duration, Instant};
use tag::Tagger;

/// Building a pipeline failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A dictionary file has errors (each `path:line: message`).
    #[error(transparent)]
    Dictionary(#[from] dictionary::LoadError),
    /// A topic taxonomy file has errors.
    #[error("topic taxonomy error(s):\n{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Taxonomy(Vec<Problem>),
    /// The dictionaries are too large for the automaton.
    #[error("cannot compile the dictionary automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    /// A designation pattern (`rules/patterns.txt`) is not a valid regular expression.
    #[error("cannot compile the designation patterns: {0}")]
    Patterns(#[from] regex::Error),
    /// A setting is out of range.
    #[error(transparent)]
    Setting(#[from] SettingError),
}

/// Time spent in each analysis stage, summed over documents (the batch runner's statistics).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub normalize: Duration,
    pub tag: Duration,
    pub classify: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, other: StageTimes) {
        self.normalize += other.normalize;
        self.tag += other.tag;
        self.classify += other.classify;
    }
}

/// Everything needed to analyze documents, built once: the dictionaries compiled into one
/// automaton, the context rules, the topic taxonomy and any learned topic models.
///
/// `Pipeline` is `Send + Sync`: share one between threads.
#[derive(Debug)]
pub struct Pipeline {
    tagger: Tagger,
    classifier: Classifier,
    models: Vec<TopicModel>,
    settings: Settings,
    types: Vec<String>,
}

impl Pipeline {
    /// A builder for a pipeline with other dictionaries, topic models or settings.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::new()
    }

    /// Compiles loaded dictionaries with checked settings (see [`PipelineBuilder::build`]).
    fn new(mut dict: Dictionary, settings: Settings) -> Result<Pipeline, BuildError> {
        let taxonomy: Vec<dictionary::Source> = std::mem::take(&mut dict.topic_sources)
            .into_iter()
            .filter(|s| settings.default_topics || !s.is_bundled())
            .collect();
        let types = std::mem::take(&mut dict.types);
        // The taxonomy compiles on a second thread while the automaton is built: a run starts
        // this much sooner, and the two share nothing.
        let (classifier, tagger) = std::thread::scope(|scope| {
            let classifier = scope.spawn(|| Classifier::new(&taxonomy, settings.topic_threshold));
            let tagger = Tagger::new(dict);
            let classifier = classifier
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (classifier, tagger)
        });
        Ok(Pipeline {
            types,
            classifier: classifier.map_err(BuildError::Taxonomy)?,
            tagger: tagger?,
            models: Vec::new(),
            settings,
        })
    }

    /// A pipeline with the bundled dictionaries and default settings.
    pub fn bundled() -> Result<Pipeline, BuildError> {
        Pipeline::builder().build()
    }

    /// Entity types (`country`, `leader`, `weapon`, …), in dictionary order.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The compiled matcher (for diagnostics such as `dict lookup`).
    #[cfg(feature = "cli")]
    #[doc(hidden)]
    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    /// The settings it was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The compiled taxonomy.
    #[cfg(feature = "cli")]
    #[doc(hidden)]
    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    /// The topic tags the taxonomy can give, in taxonomy order (learned models' tags are in
    /// [`Pipeline::topic_models`]).
    pub fn taxonomy_tags(&self) -> &[String] {
        self.classifier.tags()
    }

    /// The learned topic models, in the order they were added.
    pub fn topic_models(&self) -> &[TopicModel] {
        &self.models
    }

    /// Every tag's score from the taxonomy and from each model, with all of its evidence,
    /// highest first; nothing is left out for being under the threshold. A tag that both the
    /// taxonomy and a model know appears once per source.
    fn score_topics(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        let mut all = self.classifier.score_all(folded, mentions);
        for model in &self.models {
            all.extend(model.score_folded(folded));
        }
        classify::sort_scores(&mut all);
        all
    }

    /// The tags a document gets: the taxonomy's tags at or over the threshold, and each model's
    /// choice (its best tag for a single-label model, otherwise its tags over the threshold).
    /// When two sources give the same tag, the higher score stands, with its evidence.
    fn topics(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        let threshold = self.settings.topic_threshold;
        let mut chosen = self.classifier.classify(folded, mentions);
        for model in &self.models {
            for score in model.choose(folded, threshold, classify::EVIDENCE_KEPT) {
                match chosen.iter_mut().find(|c| c.tag == score.tag) {
                    Some(c) if c.score >= score.score => {}
                    Some(c) => *c = score,
                    None => chosen.push(score),
                }
            }
        }
        classify::sort_scores(&mut chosen);
        if let Some(k) = self.settings.top_topics {
            chosen.truncate(k);
        }
        chosen
    }

    /// The threshold a tag's score must reach.
    pub fn topic_threshold(&self) -> f64 {
        self.settings.topic_threshold
    }

    /// Finds the mentions and topics of one document. Pure: same document, same result.
    ///
    /// With a known document date (its own [`Document::date`], or else
    /// [`PipelineBuilder::default_date`]), each leader mention with dated roles says whether the
    /// person held one of them then. A document date is read as `2019-06-30` (a time may follow),
    /// `30 June 2019`, `June 30, 2019` or `20190630`; anything else (`June 2019`) is no date.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_timed(doc, &mut StageTimes::default())
    }

    /// [`Pipeline::analyze`], adding the time each stage took to `times`.
    #[doc(hidden)]
    pub fn analyze_timed(&self, doc: &Document, times: &mut StageTimes) -> Analysis {
        let clock = Instant::now();
        let folded = normalize::fold(&doc.text);
        times.normalize += clock.elapsed();
        let clock = Instant::now();
        let date = match &doc.date {
            Some(date) => dates::document_day(date),
            None => self.settings.default_date,
        };
        let mut rejected = Vec::new();
        let wanted = self.settings.all_candidates.then_some(&mut rejected);
        let mut mentions =
            self.tagger
                .tag_explained(&doc.text, &folded, date.map(Into::into), wanted);
        if let Some(date) = date {
            for m in &mut mentions {
                let roles = &m.entity.roles;
                if roles.iter().any(|r| r.from.is_some()) {
                    let held = roles.iter().find(|r| r.held_on(date.into()) == Some(true));
                    m.role_on_date = Some(held.map(|r| r.title.clone()));
                }
            }
        }
        times.tag += clock.elapsed();
        let clock = Instant::now();
        let topics = self.topics(&folded.text, &mentions);
        times.classify += clock.elapsed();
        Analysis {
            mentions,
            topics,
            rejected,
        }
    }

    /// What [`Pipeline::analyze`] finds, and every tag's score behind it, highest first, with all
    /// of its evidence, nothing left out for being under the threshold (a tag that both the
    /// taxonomy and a model know appears once per source): what `entopic explain` prints.
    pub fn explain(&self, doc: &Document) -> (Analysis, Vec<TopicScore>) {
        let analysis = self.analyze(doc);
        let folded = normalize::fold(&doc.text);
        let all = self.score_topics(&folded.text, &analysis.mentions);
        (analysis, all)
    }
}

impl Analysis {
    /// Appends this analysis of `doc` to `out` as one JSON record, exactly a line of
    /// `documents.jsonl` without its newline (the format is in `docs/output.md`).
    pub fn write_json(&self, doc: &Document, out: &mut Vec<u8>) {
        record::write_record(out, doc, self);
    }

    /// This analysis of `doc` as one JSON record (see [`Analysis::write_json`]).
    pub fn to_json(&self, doc: &Document) -> String {
        let mut out = Vec::new();
        self.write_json(doc, &mut out);
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }
}
