//! What a pipeline is built from and how it reports, checked once when it is built.
//!
//! [`PipelineBuilder`] takes typed settings (a [`Date`], a threshold that is checked to be a
//! score) so a program embedding the library gets an error at build time, not a setting silently
//! ignored for every document. The command line tool builds its pipelines the same way.

use crate::dictionary::Dictionary;
use crate::topics::TopicModel;
use crate::{classify, BuildError, Date, Pipeline};

/// The options a pipeline was built with (see [`Pipeline::settings`]).
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) topic_threshold: f64,
    pub(crate) top_topics: Option<usize>,
    pub(crate) default_date: Option<Date>,
    pub(crate) all_candidates: bool,
    pub(crate) default_topics: bool,
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

impl Settings {
    /// Minimum topic score reported, in `0..=1` (default 0.5).
    pub fn topic_threshold(&self) -> f64 {
        self.topic_threshold
    }

    /// At most this many topics are reported per document (default: all over the threshold).
    pub fn top_topics(&self) -> Option<usize> {
        self.top_topics
    }

    /// The date assumed for documents that carry none.
    pub fn default_date(&self) -> Option<Date> {
        self.default_date
    }

    /// Whether matches the rules dropped are kept in [`crate::Analysis::rejected`].
    pub fn all_candidates(&self) -> bool {
        self.all_candidates
    }

    /// Whether the bundled topic taxonomy scores documents.
    pub fn default_topics(&self) -> bool {
        self.default_topics
    }
}

/// A setting out of its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    /// Topic scores are in `0..=1`, so a threshold outside it would report every tag or none.
    #[error("topic threshold {0} is not between 0 and 1")]
    Threshold(f64),
}

/// Builds a [`Pipeline`]: dictionaries, topic models and settings (see [`Pipeline::builder`]).
///
/// ```
/// use entopic::{BuildError, Pipeline, SettingError};
///
/// let pipeline = Pipeline::builder().top_topics(2).all_candidates(true).build().unwrap();
/// assert_eq!(pipeline.settings().top_topics(), Some(2));
/// let err = Pipeline::builder().topic_threshold(7.0).build().unwrap_err();
/// assert!(matches!(err, BuildError::Setting(SettingError::Threshold(t)) if t == 7.0));
/// assert_eq!(err.to_string(), "topic threshold 7 is not between 0 and 1");
/// ```
#[derive(Debug, Default)]
pub struct PipelineBuilder {
    dictionary: Option<Dictionary>,
    models: Vec<TopicModel>,
    settings: Settings,
}

impl PipelineBuilder {
    /// A builder with the bundled dictionaries, no topic model and default settings.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Use these dictionaries instead of the bundled ones (see [`Dictionary::load`]).
    pub fn dictionary(mut self, dictionary: Dictionary) -> PipelineBuilder {
        self.dictionary = Some(dictionary);
        self
    }

    /// Also score topics with a learned model; its tags are scored beside the taxonomy's.
    pub fn topic_model(mut self, model: TopicModel) -> PipelineBuilder {
        self.models.push(model);
        self
    }

    /// Minimum topic score reported; must be in `0..=1` (default 0.5).
    pub fn topic_threshold(mut self, threshold: f64) -> PipelineBuilder {
        self.settings.topic_threshold = threshold;
        self
    }

    /// Report at most `k` topics per document, the highest.
    pub fn top_topics(mut self, k: usize) -> PipelineBuilder {
        self.settings.top_topics = Some(k);
        self
    }

    /// The date assumed for documents that carry none: leader mentions then say whether the
    /// person held office on it.
    pub fn default_date(mut self, date: Date) -> PipelineBuilder {
        self.settings.default_date = Some(date);
        self
    }

    /// Keep the matches the rules dropped, with reasons, in [`crate::Analysis::rejected`].
    pub fn all_candidates(mut self, yes: bool) -> PipelineBuilder {
        self.settings.all_candidates = yes;
        self
    }

    /// Score topics with the bundled taxonomy (default `true`; `false` keeps only taxonomies
    /// from the dictionaries given and the topic models).
    pub fn default_topics(mut self, yes: bool) -> PipelineBuilder {
        self.settings.default_topics = yes;
        self
    }

    /// Checks the settings and compiles the pipeline.
    pub fn build(self) -> Result<Pipeline, BuildError> {
        let threshold = self.settings.topic_threshold;
        if !(0.0..=1.0).contains(&threshold) {
            return Err(SettingError::Threshold(threshold).into());
        }
        let dictionary = match self.dictionary {
            Some(d) => d,
            None => Dictionary::bundled()?,
        };
        let mut pipeline = Pipeline::new(dictionary, self.settings)?;
        pipeline.models = self.models;
        Ok(pipeline)
    }
}
