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
