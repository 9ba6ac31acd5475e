//! Output files are written atomically: killing `exposure --out`, `report` or `figures` midway
//! leaves every earlier output file intact (its old bytes, or the complete new ones), leaves no
//! temporary file but `.corridor-{pid}-*.tmp`, and the next successful run removes those. The
//! kill delays are fractions of a measured complete run, so that kills land early, midway and
//! late whatever the machine's speed; nothing here asserts a duration.
//!
//! The first tier kills `exposure` on a small synthetic network and `figures` drawing four
//! charts (a folder of files and a manifest, through the same `write_atomic`); the kills of a
//! whole `report` and of every figure (three full runs each, most of this file's time in an
//! unoptimised build) are in the slow tier: `cargo test -- --ignored`.

mod common;
use common::files;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OLD: &[u8] = b"earlier output, which a killed run must leave as it is\n";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corridor"));
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn is_temporary(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.starts_with(".corridor-") && base.ends_with(".tmp")
}

/// Runs `cmd` to completion and returns how long it took.
fn complete(mut cmd: Command) -> Duration {
    let t = Instant::now();
    let st = cmd.status().unwrap();
    assert!(st.success(), "{cmd:?}: {st}");
    t.elapsed()
}

/// Spawns `cmd`, kills it (SIGKILL) after `delay` unless it finished first; returns whether it
/// was killed.
fn kill_after(mut cmd: Command, delay: Duration) -> bool {
    let mut child = cmd.spawn().unwrap();
    let t = Instant::now();
    while t.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

/// A network for a run that takes a while in an unoptimised build (200 segments of 24
/// vertices in two corridors) and 4 zones.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    corridor::synthetic::ensure_files(dir, 200, 4, 3).unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn killing_exposure_out_leaves_the_earlier_file_intact() {
    let data = tempfile::tempdir().unwrap();
    let (net, zones) = inputs(data.path());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exposure.json");
    let cmd = || {
        let mut c = bin();
        c.args(["exposure", "--format", "json", "--network"])
            .arg(&net)
            .arg("--zones")
            .arg(&zones)
            .arg("--out")
            .arg(&out);
        c
    };
    // A complete run, for the reference bytes and the duration.
    let full = complete(cmd());
    let reference = fs::read(&out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&reference).unwrap();
    assert_eq!(v["exposure"].as_array().unwrap().len(), 2 * 4);

    fs::write(&out, OLD).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    }
    for frac in [0.1, 0.5, 0.9] {
        let killed = kill_after(cmd(), full.mul_f64(frac));
        let now = fs::read(&out).unwrap();
        if killed {
            // A kill can land after the rename that publishes the file and before the process
            // has exited: then the file is the complete new one, which the contract allows.
            assert!(
                now == OLD || now == reference,
                "killed at {frac} of the run: the file is neither the earlier one nor the \
                 complete new one ({} bytes)",
                now.len()
            );
        } else {
            assert_eq!(
                now, reference,
                "finished before the kill: the new file is incomplete"
            );
        }
        fs::write(&out, OLD).unwrap();
        for name in files(dir.path()).keys() {
            assert!(
                name == "exposure.json" || is_temporary(name),
                "stray file {name} after a kill at {frac}"
            );
        }
    }
    // A leftover of a process that cannot exist (pids stop below 2^22 on Linux).
    fs::write(dir.path().join(".corridor-4294967295-abcdef.tmp"), b"x").unwrap();
    complete(cmd());
    let after = files(dir.path());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        vec!["exposure.json"],
        "the successful run left temporaries"
    );
    assert_eq!(after["exposure.json"], reference);
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o640, "the replaced file lost its permissions");
}

#[test]
fn a_new_output_file_gets_ordinary_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("routes.json");
    let mut c = bin();
    c.args(["routes", "--format", "json", "--out"]).arg(&out);
    complete(c);
    #[cfg(unix)]
    {
        // 0666 less the umask (022 or 002 in practice): readable by others, unlike a 0600
        // temporary file.
        let m = mode(&out);
        assert!(m & 0o044 == 0o044 || m & 0o004 == 0o004, "mode {m:o}");
    }
}

/// Kills `cmd` (writing a folder of outputs) at several points and checks that each file that
/// existed before is either as it was or complete (equal to a complete run's bytes).
fn folder_survives_kills(make: &dyn Fn(&Path) -> Command) {
    let reference_dir = tempfile::tempdir().unwrap();
    let full = complete(make(reference_dir.path()));
    let reference = files(reference_dir.path());
    assert!(!reference.is_empty());
    let dir = tempfile::tempdir().unwrap();
    for frac in [0.3, 0.8] {
        for name in reference.keys() {
            let p = dir.path().join(name);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, OLD).unwrap();
        }
        kill_after(make(dir.path()), full.mul_f64(frac));
        for (name, bytes) in files(dir.path()) {
            if is_temporary(&name) {
                continue;
            }
            let Some(want) = reference.get(&name) else {
                panic!("stray file {name} after a kill at {frac}");
            };
            assert!(
                bytes == OLD || &bytes == want,
                "{name} is neither the earlier file nor the complete new one after a kill at {frac}"
            );
        }
    }
    complete(make(dir.path()));
    let after = files(dir.path());
    assert!(
        after.keys().all(|k| !is_temporary(k)),
        "temporaries left after a successful run: {:?}",
        after.keys().filter(|k| is_temporary(k)).collect::<Vec<_>>()
    );
    assert_eq!(after, reference);
}

#[test]
#[ignore = "slow tier (cargo test -- --ignored): three full `report` runs"]
fn killing_report_leaves_every_earlier_file_intact() {
    folder_survives_kills(&|dir| {
        let mut c = bin();
        c.args(["report", "--quiet", "--out"]).arg(dir);
        c
    });
}

/// `figures` with its arguments: `only` some figures, or every one.
fn figures(dir: &Path, only: Option<&str>) -> Command {
    let mut c = bin();
    c.args(["figures", "--quiet"]);
    if let Some(only) = only {
        c.args(["--only", only]);
    }
    c.arg("--out").arg(dir);
    c
}

#[test]
fn killing_figures_leaves_every_earlier_file_intact() {
    // Four charts: twelve files and the manifest, a fraction of a second each.
    let only = "supply-imports,supply-shares-hhi,exposure-bands,disruption-ganja";
    folder_survives_kills(&|dir| figures(dir, Some(only)));
}

#[test]
#[ignore = "slow tier (cargo test -- --ignored): three runs drawing every figure"]
fn killing_all_figures_leaves_every_earlier_file_intact() {
    folder_survives_kills(&|dir| figures(dir, None));
}
