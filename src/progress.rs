//! The progress bar on stderr: files, megabytes (10^6 bytes, as in the summary), rate and time
//! left, drawn only when stderr is a terminal and `--quiet` is not given (never in pipes, logs or
//! tests).

use entopic::run::Tick;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new(show: bool) -> Bar {
        if !show {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {percent:>3}%\n\
             {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, ETA {eta}; {msg}",
        )
        .expect("a valid template")
        .progress_chars("=> ");
        bar.set_style(style);
        Bar(Some(bar))
    }

    pub fn update(&self, tick: &Tick) {
        if let Some(bar) = &self.0 {
            bar.set_length(tick.bytes_total.max(tick.bytes_done));
            bar.set_position(tick.bytes_done);
            let failed = if tick.failed > 0 {
                format!(", {} failed", tick.failed)
            } else {
                String::new()
            };
            bar.set_message(format!(
                "{}/{} files, {} docs{failed}",
                tick.files_done, tick.files_total, tick.documents
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
