// Records the git commit the binary was built from, for run manifests (None outside a checkout).
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
}

fn main() {
    // Rebuild when HEAD moves. In a linked worktree `.git` is a file, so ask git where HEAD and
    // the refs live rather than naming `.git/HEAD` (a path that does not exist would make every
    // build rerun this script and recompile the crate).
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
    }
    if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
        for path in ["refs/heads", "packed-refs"] {
            let path = format!("{common}/{path}");
            // Naming a path that does not exist would rerun this script on every build.
            if std::path::Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_default();
    println!("cargo:rustc-env=DUGNAD_GIT_COMMIT={commit}");
}
