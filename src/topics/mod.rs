//! Topic models taught by analysts: training on labelled documents, the model file, and
//! cross-validation.
//!
//! The default taxonomy ([`crate::classify`]) is written by hand; a learned model is its
//! counterpart fitted to an analyst's own labels — a linear classifier over stemmed unigrams and
//! bigrams (`features`), trained by `train`, stored as an editable TSV file of weights
//! ([`model`]), and measured by k-fold cross-validation ([`cv`]). A loaded model scores documents
//! beside the taxonomy in the [`crate::Pipeline`], with the terms behind each score as evidence.

#[cfg(feature = "cli")]
pub mod cv;
pub mod features;
#[cfg(feature = "cli")]
pub mod labelled;
pub mod model;
#[cfg(feature = "cli")]
pub mod train;

#[cfg(feature = "cli")]
pub use cv::{cross_validate, CvReport};
#[cfg(feature = "cli")]
pub use labelled::{Fields, Labelled};
pub use model::{ModelError, TopicModel};
#[cfg(feature = "cli")]
pub use train::{train, TrainError, TrainOptions};
