//! Topic models taught by analysts: training on labelled documents, the model file, and
//! cross-validation.
//!
//! The default taxonomy ([`crate::classify`]) is written by hand; a learned model is its
//! counterpart fitted to an analyst's own labels — a linear classifier over stemmed unigrams and
//! bigrams ([`features`]), trained by [`train`], stored as an editable TSV file of weights
//! ([`model`]), and measured by k-fold cross-validation ([`cv`]). A loaded model scores documents
//! beside the taxonomy in the [`crate::Pipeline`], with the terms behind each score as evidence.

pub mod cv;
pub mod features;
pub mod labelled;
pub mod model;
pub mod train;

pub use cv::{cross_validate, CvReport};
pub use labelled::{Fields, Labelled};
pub use model::{ModelError, TopicModel};
pub use train::{train, TrainError, TrainOptions};
