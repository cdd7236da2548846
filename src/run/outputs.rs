//! The set of outputs of one run: a writer per format, the `--resume` state, `errors.csv` and
//! `run.json`, all written into the staging folder of `--out` and committed as one (see
//! [`crate::outdir`]), or data on stdout without `--out`.

use super::pool::Finished;
use super::{ExtractConfig, Report, RunError};
use crate::export::{self, Ending, Writer};
use crate::outdir::{OpenError, OutDir};
use crate::resume::{Previous, Shape, StateWriter};
use crate::Pipeline;
use std::io;

pub(super) struct Outputs {
    writers: Vec<Box<dyn Writer>>,
    /// With `--out`: the folder (locked), and the state being written.
    folder: Option<(OutDir, StateWriter)>,
    /// The files that hold each document's output in one piece (see [`export::Output::files`]).
    files: Vec<String>,
    /// Where the current document's parts went, reused.
    segments: Vec<(u64, u64)>,
}

impl Outputs {
    /// Takes the output folder (or stdout) and opens every writer.
    pub fn create(pipeline: &Pipeline, config: &ExtractConfig) -> Result<Outputs, RunError> {
        let folder = match &config.out {
            Some(dir) => Some(OutDir::open(dir).map_err(|e| match e {
                OpenError::Busy { .. } => RunError::Busy(e.to_string()),
                OpenError::Io(e) => RunError::Output(e),
            })?),
            None => None,
        };
        let files: Vec<String> = config
            .formats
            .iter()
            .flat_map(|f| f.output().files())
            .map(|s| s.to_string())
            .collect();
        let staging = folder.as_ref().map(OutDir::staging);
        let ctx = config.context(pipeline);
        let writers = config
            .formats
            .iter()
            .map(|f| f.output().create(staging, &ctx))
            .collect::<io::Result<Vec<Box<dyn Writer>>>>()
            .map_err(RunError::Output)?;
        let folder = match folder {
            Some(out) => {
                let state = StateWriter::create(out.staging(), &config.shape(pipeline), &files)
                    .map_err(RunError::Output)?;
                Some((out, state))
            }
            None => None,
        };
        Ok(Outputs {
            writers,
            folder,
            files,
            segments: Vec::new(),
        })
    }

    /// The earlier run to carry documents over from (`--resume`), or why there is none.
    pub fn previous(&self, config: &ExtractConfig, shape: &Shape) -> Result<Previous, String> {
        let rebuilt: Vec<&str> = config
            .formats
            .iter()
            .filter(|f| !f.output().carries())
            .map(|f| f.name())
            .collect();
        if !rebuilt.is_empty() {
            return Err(format!(
                "--format {} is rebuilt from every document",
                rebuilt.join(", ")
            ));
        }
        match &self.folder {
            Some((out, _)) => Previous::open(out.dir(), shape, &self.files),
            None => Err("no --out folder".into()),
        }
    }

    /// Writes one document in every format, and records it in the state.
    pub fn write(&mut self, key: &str, finished: &Finished) -> io::Result<()> {
        self.segments.clear();
        for (writer, rendered) in self.writers.iter_mut().zip(&finished.rendered) {
            writer.write(rendered, &mut self.segments)?;
        }
        if let Some((_, state)) = &mut self.folder {
            let parts: Vec<&export::Part> =
                finished.rendered.iter().flat_map(|r| &r.parts).collect();
            let stats = &finished.stats_json;
            state.document(key, finished.hash, &self.segments, &parts, stats)?;
        }
        Ok(())
    }

    /// Pushes buffered output through, so a consumer reading a pipe sees finished records.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writers.iter_mut().try_for_each(|w| w.flush())
    }

    /// Completes every output (named for `ending`), then `errors.csv`, the state and
    /// `run.json`, and commits the set. Paths written go to `report.written`.
    pub fn finish(
        self,
        config: &ExtractConfig,
        report: &mut Report,
        ending: Ending,
    ) -> Result<(), RunError> {
        for writer in self.writers {
            match writer.finish(ending, &report.corpus) {
                Ok(written) => report.written.extend(written),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => report.closed_pipe = true,
                Err(e) => return Err(RunError::Output(e)),
            }
        }
        let Some((out, state)) = self.folder else {
            return Ok(());
        };
        let staging = out.staging().to_path_buf();
        let errors = export::write_errors(&staging, &report.errors, &config.export, ending)
            .map_err(RunError::Output)?;
        report.written.push(errors);
        let written_as: Vec<String> = self.files.iter().map(|f| ending.file_name(f)).collect();
        let lengths = written_as
            .iter()
            .map(|f| std::fs::metadata(staging.join(f)).map_or(0, |m| m.len()))
            .collect();
        state
            .finish(written_as, lengths)
            .map_err(RunError::Output)?;
        let record = super::run_record(config, report, ending);
        let info = crate::runinfo::write(&staging, &record).map_err(RunError::Output)?;
        report.written.push(info);
        let dir = out.dir().to_path_buf();
        let committed = out
            .commit(ending == Ending::Complete)
            .map_err(RunError::Output)?;
        report.set_aside = committed.set_aside;
        // Name the files where they are now.
        for path in &mut report.written {
            if let Ok(rel) = path.strip_prefix(&staging) {
                *path = dir.join(rel);
            }
        }
        Ok(())
    }
}
