//! Helpers shared by integration tests.
pub mod fuzz;

use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (recursively), by relative path, with its bytes.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Runs the real binary with `args`, asserts success, and parses its standard output as JSON.
#[allow(dead_code)]
pub fn run_json(args: &[&str]) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("corridor")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
