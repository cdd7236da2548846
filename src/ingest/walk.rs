//! Command-line paths → the ordered list of inputs.
//!
//! In: the PATH arguments. Out: files with the reader each needs, in a stable order (arguments in
//! the order given; inside a folder, sorted by name at every level), plus a record for everything
//! that cannot be read: missing paths, broken symlinks, symlink loops, unsupported file types.
//! Hidden files and folders (name starting with `.`) are skipped unless asked for. With a
//! [`Shard`], only the files (and problems) of that shard are listed.

use super::{Format, InputError, Shard};
use std::path::{Path, PathBuf};

/// One thing to read, or why not.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    File { path: PathBuf, format: Format },
    Stdin,
    Problem(InputError),
}

/// What to walk and how.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Also read hidden files and folders.
    pub hidden: bool,
    /// File-name patterns to leave out (`*` matches any run of characters).
    pub exclude: Vec<String>,
    /// Read every named or walked file as this format, whatever its extension.
    pub format: Option<Format>,
    /// List only this shard's share of the files (`--shard K/N`).
    pub shard: Option<Shard>,
    /// The output folder: never read when walking a folder that holds it (a run must not read
    /// what it, or an earlier run, wrote).
    pub output: Option<PathBuf>,
}

/// A path as the shard key: relative to `base` when below it, `/`-separated.
fn shard_key(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Expands `paths` into entries, in a deterministic order.
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Vec<Entry> {
    let mut out = Vec::new();
    // Whether `path` (below `base`) is this shard's; its key is made only with a shard.
    let mine =
        |path: &Path, base: &Path| options.shard.is_none_or(|s| s.owns(&shard_key(path, base)));
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Entry::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(_) if !mine(path, Path::new("")) => continue,
            Err(e) => {
                let reason = if path.symlink_metadata().is_ok() {
                    format!("broken symbolic link ({e})")
                } else {
                    e.to_string()
                };
                out.push(Entry::Problem(InputError::failed(path, "ingest", reason)));
                continue;
            }
        };
        if meta.is_file() {
            let name = path.file_name().map_or(path.as_path(), Path::new);
            if mine(name, Path::new("")) {
                out.push(entry_for_file(path, options, true));
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        let output = options
            .output
            .as_ref()
            .and_then(|o| std::fs::metadata(o).ok());
        let walker = walker.into_iter().filter_entry(|e| {
            let shown = options.hidden || !e.file_name().to_string_lossy().starts_with('.');
            e.depth() == 0 || (shown && !is_output(e, output.as_ref()))
        });
        for item in walker {
            match item {
                Ok(e) if !e.file_type().is_dir() => {
                    let name = e.file_name().to_string_lossy();
                    if options.exclude.iter().any(|p| glob_match(p, &name)) || !mine(e.path(), path)
                    {
                        continue;
                    }
                    if e.file_type().is_file() {
                        out.push(entry_for_file(e.path(), options, false));
                    } else {
                        let reason = format!("not a regular file ({})", kind_of(e.file_type()));
                        // Named on the command line, it is an error; found in a folder, a skip.
                        out.push(Entry::Problem(InputError {
                            skipped: e.depth() > 0,
                            ..InputError::failed(e.path(), "ingest", reason)
                        }));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    if !mine(&at, path) {
                        continue;
                    }
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop: skipped".to_string()
                    } else if at
                        .symlink_metadata()
                        .is_ok_and(|m| m.file_type().is_symlink())
                    {
                        "broken symbolic link".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    out.push(Entry::Problem(InputError::failed(&at, "ingest", reason)));
                }
            }
        }
    }
    out
}

/// Whether the walked entry `e` is the output folder (`output`: its metadata).
fn is_output(e: &walkdir::DirEntry, output: Option<&std::fs::Metadata>) -> bool {
    let Some(output) = output else {
        return false;
    };
    if !e.file_type().is_dir() {
        return false;
    }
    let Ok(meta) = e.metadata() else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.dev() == output.dev() && meta.ino() == output.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, output);
        false
    }
}

/// What a file that is neither a regular file nor a folder is (it is never opened: reading a
/// FIFO would wait for a writer, a device may never end).
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "a special file"
}

fn entry_for_file(path: &Path, options: &WalkOptions, named: bool) -> Entry {
    match options.format.or_else(|| Format::from_path(path)) {
        Some(format) => Entry::File {
            path: path.to_path_buf(),
            format,
        },
        None => {
            let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
            let what = ext.map_or("no file extension".to_string(), |e| {
                format!("unsupported file type .{e}")
            });
            let reason = format!(
                "{what} (readable: {}; or pass --input-format)",
                Format::EXTENSIONS
            );
            let error = if named {
                InputError::failed(path, "ingest", reason)
            } else {
                InputError {
                    skipped: true,
                    ..InputError::failed(path, "ingest", reason)
                }
            };
            Entry::Problem(error)
        }
    }
}

/// Matches a file name against a pattern where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_table() {
        let cases = [
            ("README.md", "README.md", true),
            ("README.md", "README.mdx", false),
            ("*.py", "make.py", true),
            ("*.py", "make.pyc", false),
            ("draft-*", "draft-1.txt", true),
            ("*draft*", "my-draft-1.txt", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(glob_match(pattern, name), want, "{pattern} ~ {name}");
        }
    }

    #[test]
    fn walks_sorted_skips_hidden_and_reports_problems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        std::fs::write(root.join("b/2.txt"), "x").unwrap();
        std::fs::write(root.join("b/.hidden/3.txt"), "x").unwrap();
        std::fs::write(root.join("a.html"), "x").unwrap();
        std::fs::write(root.join("c.png"), "x").unwrap();
        std::fs::write(root.join(".dot.txt"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("nowhere"), root.join("d.txt")).unwrap();
            std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
        }
        let entries = walk(&[root.to_path_buf()], &WalkOptions::default());
        let shown: Vec<String> = entries
            .iter()
            .map(|e| match e {
                Entry::File { path, format } => {
                    format!(
                        "{:?} {}",
                        format,
                        path.strip_prefix(root).unwrap().display()
                    )
                }
                Entry::Problem(p) => {
                    format!("{} {}", if p.skipped { "skip" } else { "fail" }, p.reason)
                }
                Entry::Stdin => "stdin".into(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "Html a.html",
                "Text b/2.txt",
                "fail symbolic link loop: skipped",
                "skip unsupported file type .png (readable: .txt .md .html .htm .jsonl .ndjson .csv .tsv; or pass --input-format)",
                "fail broken symbolic link",
            ]
        );
    }
}
