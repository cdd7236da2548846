//! Command-line arguments, and their checked form.
//!
//! clap parses what the user typed into [`Args`]; [`Args::dictionary_sources`] and
//! [`ExtractArgs::config`] turn it into what the program needs, rejecting bad combinations with a
//! message before any work starts.

use clap::{Parser, Subcommand};
use entopic::dictionary::Source;
use entopic::export;
use entopic::ingest::{Format, InputOptions, WalkOptions};
use entopic::run::ExtractConfig;
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
    Extract(ExtractArgs),
    /// Score tagging and topics against gold annotations (precision, recall, F1).
    Evaluate(EvaluateArgs),
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

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files and folders to read (folders recursively); `-` reads stdin.
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
    /// Worker threads (default: all cores).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Read stdin, or every input file whatever its extension, as this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,
    /// JSONL field / CSV column with the document id.
    #[arg(long, default_value = "id", value_name = "NAME", alias = "id-column")]
    pub id_field: String,
    /// JSONL field / CSV column with the text.
    #[arg(
        long,
        default_value = "text",
        value_name = "NAME",
        alias = "text-column"
    )]
    pub text_field: String,
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
    /// Rerun into the same --out folder: documents an earlier run finished and that did not
    /// change are copied from its output, the rest are processed.
    #[arg(long, requires = "out")]
    pub resume: bool,
    #[command(flatten)]
    pub dict: DictArgs,
}

impl ExtractArgs {
    /// The checked run configuration.
    pub fn config(&self) -> anyhow::Result<ExtractConfig> {
        let jobs = match self.jobs {
            Some(0) => anyhow::bail!("--jobs must be at least 1"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        if let Some(date) = &self.date {
            let valid = entopic::dictionary::RoleDate::parse(date).is_some_and(|d| d.day.is_some());
            if !valid {
                anyhow::bail!("--date {date:?}: expected YYYY-MM-DD");
            }
        }
        if !(0.0..=1.0).contains(&self.topic_threshold) {
            anyhow::bail!("--topic-threshold must be between 0 and 1");
        }
        let stdin_count = self.paths.iter().filter(|p| p.as_os_str() == "-").count();
        if stdin_count > 1 {
            anyhow::bail!("`-` (stdin) can be given once");
        }
        let mut formats = self.format.clone();
        formats.dedup();
        if formats.len() > 1 && self.out.is_none() {
            anyhow::bail!("several --format values need --out DIR (stdout takes one format)");
        }
        let stdin_format = self.input_format.unwrap_or(Format::Jsonl);
        Ok(ExtractConfig {
            paths: self.paths.clone(),
            out: self.out.clone(),
            formats,
            jobs,
            walk: WalkOptions {
                hidden: self.hidden,
                exclude: self.exclude.clone(),
                format: self.input_format,
            },
            input: InputOptions {
                stdin_format,
                id_field: self.id_field.clone(),
                text_field: self.text_field.clone(),
                max_doc_size: self.max_doc_size,
            },
            resume: self.resume,
            arguments: std::env::args().skip(1).collect(),
            dictionaries: Vec::new(),
        })
    }

    pub fn settings(&self) -> entopic::Settings {
        entopic::Settings {
            topic_threshold: self.topic_threshold,
            top_topics: self.top,
            default_date: self.date.clone(),
            all_candidates: self.all_candidates,
        }
    }
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
    #[command(flatten)]
    pub dict: DictArgs,
}

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Lint dictionaries: report problems as path:line: message; exit 1 on errors.
    Check {
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
    /// What a word or a sentence would match, and why.
    Lookup {
        /// Text to tag.
        text: String,
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
