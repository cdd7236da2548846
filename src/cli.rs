//! Command-line arguments, and their checked form.
//!
//! clap parses what the user typed into [`Args`]; [`Args::dictionary_sources`] and
//! [`ExtractArgs::config`] turn it into what the program needs, rejecting bad combinations with a
//! message before any work starts.

use clap::{Parser, Subcommand};
use entopic::dictionary::Source;
use entopic::export;
use entopic::ingest::{Format, InputOptions, Shard, WalkOptions};
use entopic::run::ExtractConfig;
use entopic::{Date, DateError, Pipeline, PipelineBuilder};
use std::path::PathBuf;

/// Tag leaders, countries and weapons systems in news documents, classify topics, export CSV/JSON.
#[derive(Debug, Parser)]
#[command(name = "entopic", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read documents and write their entities and topics.
    Extract(Box<ExtractArgs>),
    /// Write OUT_DIR/report.html, one self-contained page, from the results of `extract --out
    /// OUT_DIR --format jsonl`.
    Report(ReportArgs),
    /// Score tagging and topics against gold annotations (precision, recall, F1).
    Evaluate(EvaluateArgs),
    /// Show, for one document, the entities found and every tag's score with its evidence.
    Explain(ExplainArgs),
    /// Learn topic models from labelled documents, and cross-validate them.
    #[command(subcommand)]
    Topics(TopicsCommand),
    /// Inspect and check dictionaries.
    #[command(subcommand)]
    Dict(DictCommand),
}

/// Which dictionaries to use.
#[derive(Debug, clap::Args, Clone)]
pub struct DictArgs {
    /// Dictionary folder to add on top of the bundled ones (repeatable).
    #[arg(long = "dict", value_name = "DIR")]
    pub dicts: Vec<PathBuf>,
    /// Do not load the bundled dictionaries.
    #[arg(long)]
    pub no_default_dict: bool,
}

impl DictArgs {
    /// The dictionary files to load, bundled first, then each `--dict` folder in order.
    pub fn sources(&self) -> anyhow::Result<Vec<Source>> {
        let mut sources = if self.no_default_dict {
            Vec::new()
        } else {
            Source::bundled()
        };
        if self.no_default_dict && self.dicts.is_empty() {
            anyhow::bail!("--no-default-dict needs at least one --dict DIR");
        }
        for dir in &self.dicts {
            if !dir.is_dir() {
                anyhow::bail!("--dict {}: not a folder", dir.display());
            }
            sources.extend(Source::read_dir(dir)?);
        }
        Ok(sources)
    }
}

/// Where topic scores come from, beside the bundled taxonomy.
#[derive(Debug, clap::Args, Clone)]
pub struct TopicArgs {
    /// Learned topic model (`entopic topics train`) scored beside the taxonomy (repeatable).
    #[arg(long = "topic-model", value_name = "MODEL.tsv")]
    pub topic_models: Vec<PathBuf>,
    /// Do not score with the bundled taxonomy (only --topic-model and --dict taxonomies).
    #[arg(long)]
    pub no_default_topics: bool,
    /// Each --topic-model gives every document its best tag, even below --topic-threshold
    /// (a classifier trained with one label per document). Without it the threshold applies.
    #[arg(long, requires = "topic_models")]
    pub single_label: bool,
}

impl TopicArgs {
    /// The models to load, each read and checked (`path:line: message` on a bad row).
    pub fn models(&self) -> anyhow::Result<Vec<entopic::topics::TopicModel>> {
        self.topic_models
            .iter()
            .map(|p| {
                let mut model = entopic::topics::TopicModel::load(p)?;
                if self.single_label {
                    model.report_best_only();
                }
                Ok(model)
            })
            .collect()
    }
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files and folders to read (folders recursively); `-` reads stdin: JSON Lines if its first
    /// non-blank byte is `{`, else one text document (--input-format decides otherwise).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Folder for the output files; without it, results go to stdout.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Output format(s), comma-separated (several need --out).
    #[arg(
        long,
        short,
        value_enum,
        value_delimiter = ',',
        default_value = "jsonl"
    )]
    pub format: Vec<export::Format>,
    /// Start CSV files with a UTF-8 byte-order mark, so Excel reads them as UTF-8.
    #[arg(long)]
    pub excel: bool,
    /// How CSV cells are written: `excel` puts `'` before a cell a spreadsheet would run as a
    /// formula; `raw` writes every value exactly, for programs.
    #[arg(long, value_enum, value_name = "DIALECT", default_value = "excel")]
    pub csv_dialect: export::Dialect,
    /// `meta` keys that also get a column of their own (`meta.KEY`) in documents.csv, the
    /// workbook and documents.parquet, comma-separated; the `meta` column keeps them all.
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    pub meta_columns: Vec<String>,
    /// Worker threads (default: all cores; at most 4 per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Read stdin, or every input file whatever its extension, as this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Read only shard K of N (1 ≤ K ≤ N): N machines given the same folders read every file
    /// exactly once between them (split by a hash of each file's relative path).
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Also read hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Leave out files whose name matches (`*` wildcard; repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Inputs larger than this many bytes are reported, not loaded (suffixes K, M, G).
    #[arg(long, default_value = "64M", value_name = "SIZE", value_parser = parse_size)]
    pub max_doc_size: u64,
    /// Date (YYYY-MM-DD) for documents that carry none; used to check leaders' roles.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Minimum topic score to report a tag.
    #[arg(long, default_value_t = entopic::classify::DEFAULT_THRESHOLD, value_name = "SCORE")]
    pub topic_threshold: f64,
    /// Report at most K topics per document.
    #[arg(long, value_name = "K")]
    pub top: Option<usize>,
    /// Also report the dictionary matches the rules dropped, with the reason (`rejected` in
    /// JSON output).
    #[arg(long)]
    pub all_candidates: bool,
    /// No progress bar and no summary on stderr (errors are still listed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write report.html in --out (adds jsonl to the formats).
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub topics: TopicArgs,
    /// Rerun into the same --out folder: documents an earlier run finished and that did not
    /// change are copied from its output, the rest are processed.
    #[arg(long, requires = "out")]
    pub resume: bool,
    #[command(flatten)]
    pub dict: DictArgs,
}

/// Worker threads per core, at most: more only add memory and hand-offs (each worker holds a
/// document), never speed.
const JOBS_PER_CORE: usize = 4;

impl ExtractArgs {
    /// `--jobs`, at most [`JOBS_PER_CORE`] per core (with a note), the number of cores if unset.
    fn jobs(&self) -> anyhow::Result<usize> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(match self.jobs {
            Some(0) => anyhow::bail!("--jobs must be at least 1"),
            Some(n) if n > cores * JOBS_PER_CORE => {
                let most = cores * JOBS_PER_CORE;
                eprintln!(
                    "entopic: note: --jobs {n} is more than {JOBS_PER_CORE} per core ({cores} \
                     here): using {most}"
                );
                most
            }
            Some(n) => n,
            None => cores,
        })
    }

    /// The output formats, checked against each other and against `--out`, `--excel`,
    /// `--csv-dialect` and `--meta-columns`.
    fn formats(&self) -> anyhow::Result<Vec<export::Format>> {
        let mut formats = self.format.clone();
        if self.report {
            if self.out.is_none() {
                anyhow::bail!("--report needs --out DIR (the report is written there)");
            }
            if !formats.contains(&export::Format::JSONL) {
                formats.push(export::Format::JSONL);
            }
        }
        formats.dedup();
        if formats.len() > 1 && self.out.is_none() {
            anyhow::bail!("several --format values need --out DIR (stdout takes one format)");
        }
        if self.out.is_none() {
            if let Some(f) = formats.iter().find(|f| f.needs_folder()) {
                anyhow::bail!("--format {f} writes files, not stdout: it needs --out DIR");
            }
        }
        if self.excel && !formats.contains(&export::Format::CSV) {
            anyhow::bail!("--excel applies to CSV output: add --format csv");
        }
        if self.excel && self.csv_dialect == export::Dialect::Raw {
            anyhow::bail!("--excel is for spreadsheets: it cannot go with --csv-dialect raw");
        }
        let tables = [
            export::Format::CSV,
            export::Format::XLSX,
            export::Format::PARQUET,
        ];
        if !self.meta_columns.is_empty() && !formats.iter().any(|f| tables.contains(f)) {
            anyhow::bail!("--meta-columns applies to csv, xlsx and parquet output");
        }
        if let Some(key) = self.meta_columns.iter().find(|k| k.is_empty()) {
            anyhow::bail!("--meta-columns: empty key name {key:?}");
        }
        Ok(formats)
    }

    /// The checked run configuration.
    pub fn config(&self) -> anyhow::Result<ExtractConfig> {
        let jobs = self.jobs()?;
        check_date(self.date.as_deref())?;
        check_threshold(self.topic_threshold)?;
        let stdin_count = self.paths.iter().filter(|p| p.as_os_str() == "-").count();
        if stdin_count > 1 {
            anyhow::bail!("`-` (stdin) can be given once");
        }
        if self.shard.is_some() && stdin_count > 0 {
            anyhow::bail!(
                "--shard splits files and folders, not stdin: split the stream before entopic"
            );
        }
        let formats = self.formats()?;
        if let Some(out) = self.out.as_ref().filter(|o| o.exists() && !o.is_dir()) {
            anyhow::bail!(
                "--out {}: that is a file; --out names a folder (existing or new)",
                out.display()
            );
        }
        Ok(ExtractConfig {
            paths: self.paths.clone(),
            out: self.out.clone(),
            formats,
            export: export::Options {
                bom: self.excel,
                dialect: self.csv_dialect,
                meta_columns: self.meta_columns.clone(),
                roots: self
                    .paths
                    .iter()
                    .filter(|p| p.as_os_str() != "-")
                    .cloned()
                    .collect(),
                scratch: self.out.clone(),
            },
            jobs,
            walk: WalkOptions {
                hidden: self.hidden,
                exclude: self.exclude.clone(),
                format: self.input_format,
                shard: self.shard,
                output: None,
            },
            input: InputOptions {
                stdin_format: self.input_format,
                id_field: self.fields.id_field.clone(),
                text_field: self.fields.text_field.clone(),
                max_doc_size: self.max_doc_size,
                title_in_text: self.fields.title_in_text,
            },
            resume: self.resume,
            arguments: std::env::args().skip(1).collect(),
            dictionaries: Vec::new(),
        })
    }

    /// The checked pipeline settings (dictionaries and topic models are added by the caller).
    pub fn settings(&self) -> anyhow::Result<PipelineBuilder> {
        pipeline_settings(
            self.date.as_deref(),
            self.topic_threshold,
            self.top,
            self.all_candidates,
            &self.topics,
        )
    }
}

/// A pipeline builder with the settings every analysing subcommand shares, checked.
fn pipeline_settings(
    date: Option<&str>,
    threshold: f64,
    top: Option<usize>,
    all_candidates: bool,
    topics: &TopicArgs,
) -> anyhow::Result<PipelineBuilder> {
    check_threshold(threshold)?;
    let mut builder = Pipeline::builder()
        .topic_threshold(threshold)
        .all_candidates(all_candidates)
        .default_topics(!topics.no_default_topics);
    if let Some(k) = top {
        builder = builder.top_topics(k);
    }
    if let Some(date) = check_date(date)? {
        builder = builder.default_date(date);
    }
    Ok(builder)
}

/// `--date`, checked: written `YYYY-MM-DD` and a day of the calendar.
pub fn check_date(date: Option<&str>) -> anyhow::Result<Option<Date>> {
    let Some(d) = date else { return Ok(None) };
    match Date::parse(d) {
        Ok(date) => Ok(Some(date)),
        Err(DateError::Format(_)) => anyhow::bail!("--date {d:?}: expected YYYY-MM-DD"),
        Err(DateError::NoSuchDay(_)) => anyhow::bail!("--date {d:?}: no such day in the calendar"),
    }
}

fn check_threshold(threshold: f64) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&threshold) {
        anyhow::bail!("--topic-threshold must be between 0 and 1");
    }
    Ok(())
}

/// Which field of a JSONL record or column of a CSV row holds the id, and which the text.
#[derive(Debug, clap::Args)]
pub struct FieldArgs {
    /// JSONL field / CSV column with the document id.
    #[arg(
        long,
        default_value = "id",
        value_name = "NAME",
        visible_alias = "id-column"
    )]
    pub id_field: String,
    /// JSONL field / CSV column with the text.
    #[arg(
        long,
        default_value = "text",
        value_name = "NAME",
        visible_alias = "text-column"
    )]
    pub text_field: String,
    /// Tag a JSONL/CSV record's `title` too: it becomes the first paragraph of the text (title,
    /// blank line, text), so offsets count from the title's first character. (An HTML page's
    /// <title> always is.)
    #[arg(long)]
    pub title_in_text: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The document: a .txt/.md/.html file, or `-` for stdin (JSON Lines if its first non-blank
    /// byte is `{`, else text, unless --input-format says). Each record of a JSONL/CSV file is
    /// explained in turn.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Date (YYYY-MM-DD) the document was written; used to check leaders' roles.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Machine-readable output: one JSON object per document.
    #[arg(long)]
    pub json: bool,
    /// Read the file (or stdin) as this format, whatever its extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Minimum topic score to report a tag.
    #[arg(long, default_value_t = entopic::classify::DEFAULT_THRESHOLD, value_name = "SCORE")]
    pub topic_threshold: f64,
    /// Report at most K topics (the others are still listed, as not reported).
    #[arg(long, value_name = "K")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub topics: TopicArgs,
    #[command(flatten)]
    pub dict: DictArgs,
}

impl ExplainArgs {
    /// Checked settings and input options.
    pub fn config(&self) -> anyhow::Result<(PipelineBuilder, InputOptions, WalkOptions)> {
        let settings = pipeline_settings(
            self.date.as_deref(),
            self.topic_threshold,
            self.top,
            true,
            &self.topics,
        )?;
        let input = InputOptions {
            stdin_format: self.input_format,
            id_field: self.fields.id_field.clone(),
            text_field: self.fields.text_field.clone(),
            title_in_text: self.fields.title_in_text,
            ..InputOptions::default()
        };
        let walk = WalkOptions {
            format: self.input_format,
            ..WalkOptions::default()
        };
        Ok((settings, input, walk))
    }
}

/// `entopic topics …`
#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Learn tag weights from labelled documents and write them as an editable TSV model.
    Train(TrainArgs),
    /// k-fold cross-validated accuracy and per-tag precision/recall/F1 of training.
    Evaluate(CvArgs),
}

/// The labelled input and how to train on it.
#[derive(Debug, clap::Args)]
pub struct LabelledArgs {
    /// Labelled documents: JSONL (`{"text": …, "topics": [labels]}`), CSV or TSV with a header.
    #[arg(value_name = "LABELLED")]
    pub file: PathBuf,
    /// JSONL field / CSV column with the labels (a list, or labels separated by `;` or `|`).
    #[arg(
        long,
        default_value = "topics",
        value_name = "NAME",
        visible_alias = "label-column"
    )]
    pub label_field: String,
    /// JSONL field / CSV column with the text.
    #[arg(
        long,
        default_value = "text",
        value_name = "NAME",
        visible_alias = "text-column"
    )]
    pub text_field: String,
    /// Inverse regularization strength of the SVM.
    #[arg(long = "c", default_value_t = 1.0, value_name = "C")]
    pub c: f64,
    /// A feature must occur in at least this many training documents.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_df: usize,
    /// Seed of the training order (same seed, same model).
    #[arg(long, default_value_t = 42, value_name = "N")]
    pub seed: u64,
}

impl LabelledArgs {
    pub fn fields(&self) -> entopic::topics::Fields {
        entopic::topics::Fields {
            text: self.text_field.clone(),
            labels: self.label_field.clone(),
        }
    }

    pub fn options(&self) -> anyhow::Result<entopic::topics::TrainOptions> {
        if !(self.c.is_finite() && self.c > 0.0) {
            anyhow::bail!("--c must be a positive number");
        }
        Ok(entopic::topics::TrainOptions {
            c: self.c,
            min_df: self.min_df,
            seed: self.seed,
            ..entopic::topics::TrainOptions::default()
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub labelled: LabelledArgs,
    /// Where to write the model (TSV).
    #[arg(long, short, value_name = "MODEL.tsv")]
    pub out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CvArgs {
    #[command(flatten)]
    pub labelled: LabelledArgs,
    /// Number of folds (document i is tested in fold i mod K).
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,
    /// Score a tag needs to be predicted (multi-label data; single-label data uses the best tag).
    #[arg(long, default_value_t = entopic::classify::DEFAULT_THRESHOLD, value_name = "SCORE")]
    pub topic_threshold: f64,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output folder of a previous `entopic extract --out DIR` run (with documents.jsonl).
    #[arg(value_name = "OUT_DIR")]
    pub dir: PathBuf,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace an existing report.html even when it shows more documents in context.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Gold JSONL file(s): {"id", "text", "date"?, "entities"?, "topics"?}.
    #[arg(long = "gold", required = true, value_name = "FILE")]
    pub gold: Vec<PathBuf>,
    /// Also list every false positive and miss.
    #[arg(long)]
    pub errors: bool,
    /// Minimum topic score to report a tag.
    #[arg(long, default_value_t = entopic::classify::DEFAULT_THRESHOLD, value_name = "SCORE")]
    pub topic_threshold: f64,
    /// Map gold labels to tags: a TSV of `label<TAB>tag` (`-` ignores the label); the
    /// taxonomy's `!alias` names are mapped without it.
    #[arg(long, value_name = "FILE")]
    pub tag_map: Option<PathBuf>,
    /// Score only the tags of this scheme (`usip` or `entopic`, as the taxonomy marks them).
    #[arg(long, value_name = "NAME")]
    pub scheme: Option<String>,
    /// JSONL field with the gold labels (a list, or one label).
    #[arg(long, default_value = "topics", value_name = "NAME")]
    pub label_field: String,
    /// JSONL field with the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    #[command(flatten)]
    pub topics: TopicArgs,
    #[command(flatten)]
    pub dict: DictArgs,
}

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Lint dictionaries: report problems as path:line: message; exit 1 on errors.
    Check {
        /// Dictionary folders to lint with the bundled ones (same as --dict DIR); without
        /// --no-default-dict, clashes with the bundled dictionaries are reported too.
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        dict: DictArgs,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Entries and aliases per entity type.
    Stats {
        #[command(flatten)]
        dict: DictArgs,
    },
    /// What a word or a sentence would match, and why: the mentions found, and each match the
    /// rules dropped with the rule that dropped it.
    Lookup {
        /// Text to tag.
        text: String,
        /// Date (YYYY-MM-DD) the text was written; used to check leaders' roles.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Machine-readable output: one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        dict: DictArgs,
    },
}

/// Parses `64M`, `500K`, `1G` or a plain number of bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => s.split_at(at),
        None => (s, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size such as 64M"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        _ => return Err(format!("unknown size unit {unit:?} (use K, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("123"), Ok(123));
        assert!(parse_size("5X").is_err());
        assert!(parse_size("M").is_err());
    }
}
