//! The `--out` folder as one unit: one writer at a time, and the outputs of a run switched in as
//! one set.
//!
//! In: the folder named by `--out`. Out: a staging folder inside it where a run writes every
//! file, and a [`OutDir::commit`] that puts them all in place. Guarantees:
//!
//! - **One writer**: `OUT/.entopic.lock` is held with an advisory lock (`flock`) for the whole
//!   run; the kernel releases it when the process ends, however it ends. A second run into the
//!   same folder stops at once with the first one's pid and start time.
//! - **One set**: a run writes into `OUT/.entopic-staging/`. To commit, it first writes the
//!   manifest (`.entopic-manifest.json`: every file of the set with its length, modification time
//!   and XXH3-128, the earlier files it removes and the edited ones it sets aside) into the
//!   staging folder — that write is the commit point — and then moves the files into `OUT`. A run
//!   that dies before the commit point leaves the earlier set as it was; one that dies after it
//!   is completed by the next run (the moves are repeated, each only if still to do). The staging
//!   folder, and the hidden `.NAME.*.partial` files older versions left, are removed when the next
//!   run starts.
//! - **Only this run's files**: a complete run removes the files of the earlier set it does not
//!   write again (and `report.html`, which described them). An interrupted run keeps the earlier
//!   complete outputs beside its `NAME.partial` ones, listed as `earlier` in the manifest.
//! - **Hand edits are kept**: a file of the earlier set that changed since it was written (a
//!   brat annotation corrected by hand) is renamed `NAME.edited` (or `NAME.edited-2`, …) rather
//!   than replaced or removed, and the caller is told.

use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The lock file, in the output folder.
pub const LOCK_FILE: &str = ".entopic.lock";
/// The folder a run writes into before its commit.
pub const STAGING: &str = ".entopic-staging";
/// The manifest of the set in place.
pub const MANIFEST: &str = ".entopic-manifest.json";
/// The `--resume` state (see [`crate::resume`]), part of every set.
pub const STATE_FILE: &str = ".entopic-state.jsonl";
/// Files in `OUT` that belong to no output set.
const NOT_OUTPUTS: &[&str] = &[LOCK_FILE, STAGING, MANIFEST];
const VERSION: u32 = 1;

/// One file of an output set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the output folder, `/`-separated (`brat/a.ann`).
    pub name: String,
    pub len: u64,
    /// Modification time, nanoseconds since 1970 (kept by the rename into place).
    pub mtime_ns: u64,
    pub xxh3_128: String,
}

/// What `.entopic-manifest.json` says.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub entopic_manifest: u32,
    pub complete: bool,
    /// The files this run wrote.
    pub files: Vec<FileEntry>,
    /// Complete outputs of an earlier run kept beside an interrupted run's `.partial` ones.
    #[serde(default)]
    pub earlier: Vec<FileEntry>,
    /// Top-level names of the earlier set this commit removed.
    #[serde(default)]
    pub removed: Vec<String>,
    /// Earlier files changed by hand, set aside: (name, new name).
    #[serde(default)]
    pub set_aside: Vec<(String, String)>,
}

/// An output folder held by this run.
pub struct OutDir {
    dir: PathBuf,
    staging: PathBuf,
    /// Holds the lock until dropped (or the process ends).
    _lock: File,
}

/// Why a folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("another entopic run is writing to {dir} ({holder}): wait for it to end, or choose another --out")]
    Busy { dir: String, holder: String },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// What a commit did, for the caller to report.
#[derive(Debug, Default)]
pub struct Committed {
    /// Earlier files changed by hand and kept under another name: (name, new name).
    pub set_aside: Vec<(String, String)>,
}

impl OutDir {
    /// Creates `dir` if needed, takes its lock, finishes or cleans what a dead run left, and
    /// prepares an empty staging folder.
    pub fn open(dir: &Path) -> Result<OutDir, OpenError> {
        let context = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", dir.display()));
        fs::create_dir_all(dir).map_err(context)?;
        let mut lock = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write in {}: {e}", dir.display()))
            })?;
        if !try_lock(&lock)? {
            let mut holder = String::new();
            let _ = lock.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(OpenError::Busy {
                dir: dir.display().to_string(),
                holder: if holder.is_empty() {
                    "pid unknown".into()
                } else {
                    holder.into()
                },
            });
        }
        lock.set_len(0)?;
        writeln!(lock, "pid {}, started {}", std::process::id(), utc_now())?;
        let out = OutDir {
            dir: dir.to_path_buf(),
            staging: dir.join(STAGING),
            _lock: lock,
        };
        out.recover()?;
        fs::create_dir(&out.staging)?;
        Ok(out)
    }

    /// Where this run writes its files.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Completes a commit a dead run decided, or removes what it left.
    fn recover(&self) -> io::Result<()> {
        let journal = self.staging.join(MANIFEST);
        if journal.is_file() {
            let manifest: Manifest = serde_json::from_slice(&fs::read(&journal)?)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            return self.apply(&manifest);
        }
        if self.staging.exists() {
            fs::remove_dir_all(&self.staging)?;
        }
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".partial") && name != ".partial" {
                remove(&entry.path())?;
            }
        }
        Ok(())
    }

    /// Puts every file of the staging folder in place as one set; `complete` is false for an
    /// interrupted run (whose outputs are named `NAME.partial`).
    pub fn commit(self, complete: bool) -> io::Result<Committed> {
        let manifest = self.decide(complete)?;
        self.apply(&manifest)?;
        Ok(Committed {
            set_aside: manifest.set_aside,
        })
    }

    /// Writes the manifest of the staged set into the staging folder: the commit point.
    fn decide(&self, complete: bool) -> io::Result<Manifest> {
        let files = list(&self.staging, &self.staging)?;
        let tops = top_names(&files);
        let (earlier_set, earlier_mtime) = self.earlier()?;
        let mut manifest = Manifest {
            entopic_manifest: VERSION,
            complete,
            files,
            ..Manifest::default()
        };
        let earlier_tops = top_names(&earlier_set);
        for top in &earlier_tops {
            if !is_bookkeeping(top) && self.edited(top, &earlier_set, earlier_mtime)? {
                let to = free_name(&self.dir, top);
                manifest.set_aside.push((top.clone(), to));
            } else if tops.contains(top) {
                // Replaced by this run's file.
            } else if complete || is_bookkeeping(top) || top.ends_with(".partial") {
                manifest.removed.push(top.clone());
            } else {
                let kept = earlier_set.iter().filter(|e| top_of(&e.name) == top);
                manifest.earlier.extend(kept.cloned());
            }
        }
        if complete && self.dir.join("report.html").is_file() && !tops.contains("report.html") {
            manifest.removed.push("report.html".into());
        }
        // The commit point: once the manifest is in the staging folder, the set goes in.
        let journal = self.staging.join(MANIFEST);
        let mut tmp = File::create(self.staging.join(".manifest.tmp"))?;
        serde_json::to_writer_pretty(&mut tmp, &manifest)?;
        tmp.write_all(b"\n")?;
        tmp.sync_all()?;
        fs::rename(self.staging.join(".manifest.tmp"), &journal)?;
        sync_dir(&self.staging);
        Ok(manifest)
    }

    /// Moves a decided set into place; every step is skipped when already done, so a commit
    /// cut short is completed by running this again.
    fn apply(&self, manifest: &Manifest) -> io::Result<()> {
        let tops = top_names(&manifest.files);
        for (from, to) in &manifest.set_aside {
            let still_to_do = !tops.contains(from) || self.staging.join(from).exists();
            if still_to_do && self.dir.join(from).exists() && !self.dir.join(to).exists() {
                fs::rename(self.dir.join(from), self.dir.join(to))?;
            }
        }
        for name in &manifest.removed {
            remove(&self.dir.join(name))?;
        }
        for top in &tops {
            let staged = self.staging.join(top);
            if staged.exists() {
                let dest = self.dir.join(top);
                if dest.is_dir() {
                    fs::remove_dir_all(&dest)?;
                }
                fs::rename(&staged, &dest)?;
            }
        }
        fs::rename(self.staging.join(MANIFEST), self.dir.join(MANIFEST))?;
        fs::remove_dir_all(&self.staging)?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// The set in place: from its manifest, or for a folder an older version wrote, the files
    /// it is known to write (with the time its `run.json` was written, to tell edits).
    fn earlier(&self) -> io::Result<(Vec<FileEntry>, Option<u64>)> {
        if let Some(manifest) = read_manifest(&self.dir) {
            let mut set = manifest.files;
            set.extend(manifest.earlier);
            return Ok((set, None));
        }
        let Ok(run) = fs::metadata(self.dir.join("run.json")) else {
            return Ok((Vec::new(), None));
        };
        let mut set = Vec::new();
        for name in legacy_names() {
            let path = self.dir.join(&name);
            if path.is_dir() {
                set.extend(list(&path, &self.dir)?);
            } else if path.is_file() {
                set.push(entry(&path, name, false)?);
            }
        }
        Ok((set, Some(mtime_ns(&run))))
    }

    /// Whether the earlier file (or folder) `top` changed since it was written.
    fn edited(&self, top: &str, set: &[FileEntry], legacy_time: Option<u64>) -> io::Result<bool> {
        let path = self.dir.join(top);
        let listed: Vec<&FileEntry> = set.iter().filter(|e| top_of(&e.name) == top).collect();
        let found = if path.is_dir() {
            list(&path, &self.dir)?
        } else if path.is_file() {
            vec![entry(&path, top.to_string(), false)?]
        } else {
            return Ok(false);
        };
        if let Some(written) = legacy_time {
            // Written by an older version: anything changed after its run.json was.
            return Ok(found.iter().any(|f| f.mtime_ns > written + 1_000_000_000));
        }
        let same = |f: &FileEntry| {
            listed
                .iter()
                .any(|e| e.name == f.name && e.len == f.len && e.mtime_ns == f.mtime_ns)
        };
        Ok(found.len() != listed.len() || !found.iter().all(same))
    }
}

impl Drop for OutDir {
    /// A run that ends without a commit (an error) removes its staging folder; one that decided
    /// its commit leaves it for the next run to complete.
    fn drop(&mut self) {
        if self.staging.is_dir() && !self.staging.join(MANIFEST).exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The manifest of the set in `dir`, if there is a readable one.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}

/// Whether `name` in `dir` is as the manifest of its set says (length and modification time);
/// `Err` says what differs.
pub fn unchanged(dir: &Path, manifest: &Manifest, name: &str) -> Result<(), String> {
    let listed = manifest
        .files
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| format!("{name} is not part of the earlier run's outputs"))?;
    let meta = fs::symlink_metadata(dir.join(name))
        .map_err(|e| format!("the earlier output {name} cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err(format!("the earlier output {name} is not a regular file"));
    }
    if meta.len() != listed.len || mtime_ns(&meta) != listed.mtime_ns {
        return Err(format!("the earlier output {name} was changed"));
    }
    Ok(())
}

/// Files an older version of entopic wrote in `--out` (with their `.partial` forms).
fn legacy_names() -> Vec<String> {
    let mut names: Vec<String> = crate::export::FORMATS
        .iter()
        .flat_map(|f| f.output().outputs())
        .chain(&["errors.csv", "run.json", STATE_FILE])
        .map(|n| n.to_string())
        .collect();
    let partials: Vec<String> = names.iter().map(|n| format!("{n}.partial")).collect();
    names.extend(partials);
    names.sort();
    names.dedup();
    names
}

/// Files that describe a set rather than hold its results: always replaced (a change to them is
/// damage, not an edit worth keeping).
fn is_bookkeeping(name: &str) -> bool {
    name == "run.json" || name == STATE_FILE
}

fn top_of(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

fn top_names(files: &[FileEntry]) -> std::collections::BTreeSet<String> {
    files.iter().map(|e| top_of(&e.name).to_string()).collect()
}

/// `NAME.edited`, or `NAME.edited-2`, … — a name not taken in `dir`.
fn free_name(dir: &Path, name: &str) -> String {
    let mut candidate = format!("{name}.edited");
    let mut n = 1;
    while dir.join(&candidate).exists() {
        n += 1;
        candidate = format!("{name}.edited-{n}");
    }
    candidate
}

/// Every regular file below `path`, named relative to `base`, sorted (the manifest and the files
/// that are no output left out).
fn list(path: &Path, base: &Path) -> io::Result<Vec<FileEntry>> {
    let mut out = Vec::new();
    for item in walkdir::WalkDir::new(path).sort_by_file_name() {
        let item = item.map_err(io::Error::other)?;
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item.path().strip_prefix(base).unwrap_or(item.path());
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = name.join("/");
        if NOT_OUTPUTS.contains(&top_of(&name)) || name == ".manifest.tmp" {
            continue;
        }
        out.push(entry(item.path(), name, path == base)?);
    }
    Ok(out)
}

/// The manifest line of one file; its hash only when `hash` (a file of this run).
fn entry(path: &Path, name: String, hash: bool) -> io::Result<FileEntry> {
    let meta = fs::metadata(path)?;
    let xxh3_128 = if hash {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut file = File::open(path)?;
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        format!("{:032x}", hasher.digest128())
    } else {
        String::new()
    };
    Ok(FileEntry {
        name,
        len: meta.len(),
        mtime_ns: mtime_ns(&meta),
        xxh3_128,
    })
}

fn mtime_ns(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

fn remove(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(_) => Ok(()),
    };
    match result {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes the renames in `dir` durable (best effort: not every system can sync a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this process owns; no memory is involved.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_replaces_the_set_and_keeps_edits() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        fs::write(out.staging().join("a.csv"), "1").unwrap();
        fs::create_dir(out.staging().join("brat")).unwrap();
        fs::write(out.staging().join("brat/x.ann"), "T1").unwrap();
        out.commit(true).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("brat/x.ann")).unwrap(),
            "T1"
        );
        // Edited by hand (another length), then a run writes only b.csv.
        fs::write(dir.path().join("brat/x.ann"), "T1 fixed").unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        fs::write(out.staging().join("b.csv"), "2").unwrap();
        let done = out.commit(true).unwrap();
        assert_eq!(done.set_aside, [("brat".into(), "brat.edited".into())]);
        assert!(!dir.path().join("a.csv").exists());
        assert!(!dir.path().join("brat").exists());
        let edited = fs::read_to_string(dir.path().join("brat.edited/x.ann")).unwrap();
        assert_eq!(edited, "T1 fixed");
        assert!(!dir.path().join(STAGING).exists());
    }

    #[test]
    fn a_commit_cut_short_is_completed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("mentions.csv"), "old").unwrap();
        fs::write(dir.path().join("run.json"), "{}").unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        fs::write(out.staging().join("new.csv"), "new").unwrap();
        let manifest = out.decide(true).unwrap();
        assert_eq!(manifest.removed, ["mentions.csv", "run.json"]);
        // The process dies here: nothing moved yet.
        drop(out);
        assert!(dir.path().join("mentions.csv").exists());
        let again = OutDir::open(dir.path()).unwrap();
        assert!(!dir.path().join("mentions.csv").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("new.csv")).unwrap(),
            "new"
        );
        let manifest = read_manifest(dir.path()).unwrap();
        assert_eq!(manifest.files.len(), 1);
        assert_eq!(manifest.files[0].name, "new.csv");
        drop(again);
        assert!(!dir.path().join(STAGING).exists());
    }

    #[test]
    fn a_run_that_dies_before_its_commit_leaves_the_earlier_set() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        fs::write(out.staging().join("a.csv"), "1").unwrap();
        out.commit(true).unwrap();
        // What a run killed before its commit leaves (the lock went with the process).
        fs::create_dir(dir.path().join(STAGING)).unwrap();
        fs::write(dir.path().join(STAGING).join("a.csv"), "2").unwrap();
        fs::write(
            dir.path().join(".a.csv.XyZ123.partial"),
            "left by an older version",
        )
        .unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a.csv")).unwrap(), "1");
        assert!(!dir.path().join(".a.csv.XyZ123.partial").exists());
        assert_eq!(fs::read_dir(out.staging()).unwrap().count(), 0);
    }

    #[test]
    fn dates() {
        let now = utc_now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }
}
