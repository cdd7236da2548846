//! entopic: tag political leaders, countries and weapons systems in news and policy documents,
//! classify each document into topic tags, and export the results.
//!
//! The stages run in one direction — ingest → normalize → tag → classify → export — and a
//! [`Pipeline`] holds everything that is expensive to build (dictionaries, the automaton, the
//! taxonomy). Build it once and call [`Pipeline::analyze`] from any number of threads.
//!
//! ```
//! use entopic::{Document, Pipeline};
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
//! ```

pub mod classify;
pub mod context;
pub mod designation;
pub mod dictionary;
pub mod document;
pub mod evaluate;
pub mod explain;
pub mod export;
pub mod ingest;
pub mod name_guard;
pub mod normalize;
pub mod patterns;
pub mod report;
pub mod resume;
pub mod run;
pub mod runinfo;
pub mod segment;
pub mod tag;
pub mod topics;

pub use dictionary::Dictionary;
pub use document::{Analysis, Document, Evidence, Mention, Rejected, TopicScore};

use classify::Classifier;
use dictionary::{Problem, RoleDate};
use std::time::{Duration, Instant};
use tag::Tagger;
use topics::TopicModel;

/// Building a pipeline failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Dictionary(#[from] dictionary::LoadError),
    #[error("topic taxonomy error(s):\n{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Taxonomy(Vec<Problem>),
    #[error("cannot compile the dictionary automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    #[error("cannot compile the designation patterns: {0}")]
    Patterns(#[from] regex::Error),
}

/// Options that change what a pipeline reports.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Minimum topic score reported.
    pub topic_threshold: f64,
    /// Report at most this many topics per document.
    pub top_topics: Option<usize>,
    /// Date assumed for documents that carry none (checks leaders' roles).
    pub default_date: Option<String>,
    /// Keep the matches the rules dropped, with reasons, in [`Analysis::rejected`].
    pub all_candidates: bool,
    /// Score topics with the bundled taxonomy (`false`: only `--dict` taxonomies and models).
    pub default_topics: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            topic_threshold: classify::DEFAULT_THRESHOLD,
            top_topics: None,
            default_date: None,
            all_candidates: false,
            default_topics: true,
        }
    }
}

/// Time spent in each analysis stage, summed over documents.
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

/// Everything needed to analyze documents, built once.
#[derive(Debug)]
pub struct Pipeline {
    tagger: Tagger,
    classifier: Classifier,
    models: Vec<TopicModel>,
    settings: Settings,
    types: Vec<String>,
}

impl Pipeline {
    /// Builds a pipeline from loaded dictionaries.
    pub fn new(dict: &Dictionary, settings: Settings) -> Result<Pipeline, BuildError> {
        let bundled = dictionary::Source::bundled();
        let taxonomy: Vec<dictionary::Source> = dict
            .topic_sources
            .iter()
            .filter(|s| settings.default_topics || !bundled.contains(s))
            .cloned()
            .collect();
        let classifier =
            Classifier::new(&taxonomy, settings.topic_threshold).map_err(BuildError::Taxonomy)?;
        Ok(Pipeline {
            tagger: Tagger::new(dict)?,
            classifier,
            models: Vec::new(),
            settings,
            types: dict.types.clone(),
        })
    }

    /// A pipeline with the bundled dictionaries and default settings.
    pub fn bundled() -> Result<Pipeline, BuildError> {
        Pipeline::new(&Dictionary::bundled()?, Settings::default())
    }

    /// Entity types, in dictionary order.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The compiled matcher (for diagnostics such as `dict lookup`).
    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    /// The settings it was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The compiled taxonomy.
    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    /// Adds a learned topic model; its tags are scored beside the taxonomy's.
    pub fn add_topic_model(&mut self, model: TopicModel) {
        self.models.push(model);
    }

    /// The learned topic models, in the order they were added.
    pub fn topic_models(&self) -> &[TopicModel] {
        &self.models
    }

    /// Every tag's score from the taxonomy and from each model, with all of its evidence,
    /// highest first; nothing is left out for being under the threshold. A tag that both the
    /// taxonomy and a model know appears once per source.
    pub fn score_topics(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
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
    /// With a known document date (its own, or [`Settings::default_date`]), each leader mention
    /// with dated roles says whether the person held one of them then.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_timed(doc, &mut StageTimes::default())
    }

    /// [`Pipeline::analyze`], adding the time each stage took to `times`.
    pub fn analyze_timed(&self, doc: &Document, times: &mut StageTimes) -> Analysis {
        let clock = Instant::now();
        let folded = normalize::fold(&doc.text);
        times.normalize += clock.elapsed();
        let clock = Instant::now();
        let date = doc
            .date
            .as_deref()
            .or(self.settings.default_date.as_deref())
            .and_then(parse_day);
        let mut rejected = Vec::new();
        let wanted = self.settings.all_candidates.then_some(&mut rejected);
        let mut mentions = self.tagger.tag_explained(&doc.text, &folded, date, wanted);
        if let Some(date) = date {
            for m in &mut mentions {
                let roles = &m.entity.roles;
                if roles.iter().any(|r| r.from.is_some()) {
                    let held = roles.iter().find(|r| r.held_on(date) == Some(true));
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

    /// What [`Pipeline::analyze`] finds, and every tag's score behind it (see
    /// [`Pipeline::score_topics`]): what `entopic explain` prints.
    pub fn explain(&self, doc: &Document) -> (Analysis, Vec<TopicScore>) {
        let analysis = self.analyze(doc);
        let folded = normalize::fold(&doc.text);
        let all = self.score_topics(&folded.text, &analysis.mentions);
        (analysis, all)
    }
}

/// The full date at the start of a date string (`2019-06-30`, `2019-06-30T08:00:00Z`).
fn parse_day(s: &str) -> Option<RoleDate> {
    RoleDate::parse(&ingest::document_day(s)?)
}
