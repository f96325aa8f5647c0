//! Results are written to a temporary folder beside the target and renamed into place, so a
//! crash or a full disk never leaves a half-written result, and an existing result is never
//! overwritten without `--force`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A refused overwrite or an unusable output path: the user must choose (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0} already exists; pass --force to replace it, or -o DIR to write elsewhere")]
    Exists(PathBuf),
    #[error("{0} is not a folder dugnad can write a result to: {1}")]
    Unusable(PathBuf, String),
}

/// A result folder being written.
#[derive(Debug)]
pub struct ResultDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
}

impl ResultDir {
    /// Starts writing a result that will end up at `target`.
    pub fn create(target: &Path, force: bool) -> Result<ResultDir> {
        if target.exists() && !force {
            return Err(OutputError::Exists(target.to_path_buf()).into());
        }
        if target.exists() && !target.is_dir() {
            return Err(OutputError::Unusable(target.to_path_buf(), "it is a file".into()).into());
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "result".into());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(ResultDir {
            target: target.to_path_buf(),
            tmp,
            force,
        })
    }

    /// The temporary folder files go to.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the temporary folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let p = self.tmp.join(name);
        std::fs::write(&p, bytes)
            .with_context(|| format!("cannot write {} (is the disk full?)", p.display()))
    }

    /// Renames the finished folder into place (replacing an old result only with force).
    pub fn commit(self) -> Result<PathBuf> {
        if self.target.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.target.clone()).into());
            }
            let old = self.tmp.with_extension("old");
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move the old {} aside", self.target.display()))?;
            std::fs::rename(&self.tmp, &self.target)
                .with_context(|| format!("cannot rename {} into place", self.tmp.display()))?;
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove {}", old.display()))?;
        } else {
            std::fs::rename(&self.tmp, &self.target)
                .with_context(|| format!("cannot rename {} into place", self.tmp.display()))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for ResultDir {
    fn drop(&mut self) {
        // An abandoned result (error before commit) leaves nothing behind.
        if self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes a single file atomically (temp file in the same folder, then rename).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes)
        .with_context(|| format!("cannot write {} (is the disk full?)", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force_and_cleans_up_abandoned_results() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        let r = ResultDir::create(&target, false).unwrap();
        r.write("a.csv", b"x").unwrap();
        r.commit().unwrap();
        assert!(ResultDir::create(&target, false).is_err());
        {
            let r = ResultDir::create(&target, true).unwrap();
            r.write("b.csv", b"y").unwrap();
            // dropped without commit
        }
        assert!(target.join("a.csv").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the committed result remains");
    }
}
