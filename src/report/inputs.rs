//! Where the report may read documents again: under the inputs the run recorded, and only there.
//!
//! `run.json` records the inputs as given (`inputs.paths`) and the folder they were relative to
//! (`inputs.working_directory`). A path in `documents.jsonl` is resolved against that folder —
//! not the folder `entopic report` runs in, so the report finds the same files wherever it runs —
//! and is read only when it lies under one of those inputs once symbolic links and `..` are
//! resolved. A `documents.jsonl` edited to name `/etc/passwd` or `../secret.txt` gets no context
//! instead of putting that file into the page.

use super::context::Missing;
use std::path::{Path, PathBuf};

/// The inputs of the run that wrote an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// The folder relative paths were given from.
    base: PathBuf,
    /// The inputs that still exist, canonical (absolute, links resolved).
    roots: Vec<PathBuf>,
    /// The inputs as given, for the page header.
    pub given: Vec<String>,
}

impl Inputs {
    /// The inputs recorded in `dir/run.json`; `None` when it is missing or records none (a run
    /// from before they were recorded).
    pub fn read(dir: &Path) -> Option<Inputs> {
        let text = std::fs::read_to_string(dir.join("run.json")).ok()?;
        let info: serde_json::Value = serde_json::from_str(&text).ok()?;
        let base = PathBuf::from(info["inputs"]["working_directory"].as_str()?);
        let given: Vec<String> = info["inputs"]["paths"]
            .as_array()?
            .iter()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        let roots = given
            .iter()
            .filter(|p| *p != "-")
            .filter_map(|p| base.join(p).canonicalize().ok())
            .collect();
        Some(Inputs { base, roots, given })
    }

    /// The folder relative paths are resolved against.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// The file a recorded path names, if the report may read it.
    pub fn resolve(&self, recorded: &str) -> Result<PathBuf, Missing> {
        let path = self.base.join(recorded);
        let Ok(canonical) = path.canonicalize() else {
            return Err(Missing::NoSource);
        };
        if self.roots.iter().any(|root| canonical.starts_with(root)) {
            Ok(canonical)
        } else {
            Err(Missing::NotAnInput)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_under_the_recorded_inputs_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("work");
        std::fs::create_dir_all(base.join("in/sub")).unwrap();
        std::fs::write(base.join("in/sub/a.txt"), "x").unwrap();
        std::fs::write(base.join("one.txt"), "x").unwrap();
        std::fs::write(base.join("secret.txt"), "x").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let info = serde_json::json!({"inputs": {"paths": ["in", "one.txt", "-"],
            "working_directory": base}});
        std::fs::write(out.join("run.json"), info.to_string()).unwrap();
        let inputs = Inputs::read(&out).unwrap();
        assert_eq!(inputs.given, ["in", "one.txt", "-"]);
        let canonical = |p: &str| base.join(p).canonicalize().unwrap();
        assert_eq!(
            inputs.resolve("in/sub/a.txt"),
            Ok(canonical("in/sub/a.txt"))
        );
        assert_eq!(inputs.resolve("one.txt"), Ok(canonical("one.txt")));
        let absolute = canonical("in/sub/a.txt");
        assert_eq!(
            inputs.resolve(absolute.to_str().unwrap()),
            Ok(absolute.clone())
        );
        assert_eq!(inputs.resolve("secret.txt"), Err(Missing::NotAnInput));
        assert_eq!(inputs.resolve("in/../secret.txt"), Err(Missing::NotAnInput));
        let outside = canonical("secret.txt");
        assert_eq!(
            inputs.resolve(outside.to_str().unwrap()),
            Err(Missing::NotAnInput)
        );
        assert_eq!(inputs.resolve("in/gone.txt"), Err(Missing::NoSource));
        assert_eq!(Inputs::read(&base), None);
    }
}
