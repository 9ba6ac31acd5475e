//! Output formats (table, json, csv, geojson) and atomic file writing.
//!
//! Every command builds a [`Report`]: rows as ordered JSON objects under a named data member,
//! plus the `meta` member. The writers below turn that into the format asked for; none of them
//! knows anything about pipelines.

use crate::load::Source;
use anyhow::{Context, Result};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;

/// Serialises items into the ordered JSON objects a [`Report`] holds as rows.
pub fn to_rows<T: serde::Serialize>(items: &[T]) -> Vec<Map<String, Value>> {
    items
        .iter()
        .filter_map(|i| match serde_json::to_value(i) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect()
}

/// A progress bar on standard error, hidden with `--quiet` or when standard error is not a
/// terminal (piped output stays clean). Its length is set by whoever knows the amount of work.
pub fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// Output formats the contract names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

/// The `meta` member: tool, version, command, inputs with their SHA-256, year and options.
pub fn meta(command: &str, inputs: &[&Source], year: Option<i32>, options: Value) -> Value {
    json!({
        "tool": "corridor",
        "version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "inputs": inputs.iter().map(|s| json!({"path": s.name, "sha256": s.sha256()})).collect::<Vec<_>>(),
        "year": year,
        "options": options,
    })
}

/// What a command produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub meta: Value,
    /// The contract's data member name (`routes`, `problems`, ...).
    pub member: &'static str,
    pub rows: Vec<Map<String, Value>>,
    /// Further members for JSON (e.g. a summary); shown as extra blocks in the table.
    pub extra: Vec<(&'static str, Value)>,
    /// Column order for the table (defaults to the first row's keys).
    pub table_columns: Option<Vec<&'static str>>,
}

impl Report {
    pub fn json(&self) -> String {
        let mut obj = Map::new();
        obj.insert("meta".into(), self.meta.clone());
        obj.insert(
            self.member.into(),
            Value::Array(self.rows.iter().cloned().map(Value::Object).collect()),
        );
        for (k, v) in &self.extra {
            obj.insert((*k).into(), v.clone());
        }
        let mut s = serde_json::to_string_pretty(&Value::Object(obj)).unwrap_or_default();
        s.push('\n');
        s
    }

    /// CSV: one row per item; nested objects become dotted columns (`countries.AZE`).
    pub fn csv(&self) -> Result<String> {
        let flat: Vec<Vec<(String, String)>> = self.rows.iter().map(flatten).collect();
        let mut columns: Vec<String> = Vec::new();
        for row in &flat {
            for (k, _) in row {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&columns)?;
        for row in &flat {
            let rec: Vec<&str> = columns
                .iter()
                .map(|c| {
                    row.iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("")
                })
                .collect();
            w.write_record(rec)?;
        }
        Ok(String::from_utf8(w.into_inner()?)?)
    }

    /// A plain aligned table for the terminal.
    pub fn table(&self) -> String {
        let columns: Vec<String> = match &self.table_columns {
            Some(c) => c.iter().map(|s| s.to_string()).collect(),
            None => self
                .rows
                .first()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default(),
        };
        let mut out = render_table(&columns, &self.rows);
        for (k, v) in &self.extra {
            out.push('\n');
            out.push_str(&format!("{k}:\n"));
            match v {
                Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
                    let rows: Vec<Map<String, Value>> = items
                        .iter()
                        .filter_map(|i| i.as_object().cloned())
                        .collect();
                    let cols: Vec<String> = rows[0].keys().cloned().collect();
                    out.push_str(&render_table(&cols, &rows));
                }
                Value::Object(m) => {
                    for (k, v) in m {
                        out.push_str(&format!("  {k}: {}\n", cell(v)));
                    }
                }
                other => out.push_str(&format!("  {}\n", cell(other))),
            }
        }
        out
    }
}

fn render_table(columns: &[String], rows: &[Map<String, Value>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(c).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = columns
        .iter()
        .map(|c| {
            rows.iter()
                .all(|r| matches!(r.get(c), Some(Value::Number(_)) | Some(Value::Null) | None))
        })
        .collect();
    let mut out = String::new();
    let line = |vals: &[String], out: &mut String| {
        let parts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let pad = widths[i].saturating_sub(v.chars().count());
                if numeric[i] {
                    format!("{}{v}", " ".repeat(pad))
                } else {
                    format!("{v}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(columns, &mut out);
    line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
        &mut out,
    );
    for r in &cells {
        line(r, &mut out);
    }
    out
}

/// A value as a table cell: numbers to one decimal unless they are integers.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(f)) if f.abs() < 1.0 && f != 0.0 => format!("{f:.3}"),
            (_, Some(f)) => format!("{f:.1}"),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k} {}", cell(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn flatten(row: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in row {
        match v {
            Value::Object(m) => {
                for (k2, v2) in m {
                    out.push((format!("{k}.{k2}"), scalar(v2)));
                }
            }
            other => out.push((k.clone(), scalar(other))),
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rounds to `digits` decimals for output (lengths in km to the metre, shares to 1e-6).
pub fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (v * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder
/// (`.corridor-{pid}-XXXXXX.tmp`), flushed, then renamed over the target, so a failed or killed
/// run never leaves a half-written or clobbered file. The file keeps the permissions of the file
/// it replaces (a new file gets the usual 0666 less the umask, not the temporary file's 0600).
/// A run killed while writing leaves its temporary file behind; the next successful write to the
/// same folder removes such leftovers of processes that are no longer running.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let prefix = format!("{TMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(0o666));
        mode
    };
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        // Best effort: the write itself matters more than the mode.
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot move the output into place at {}", path.display()))?;
    remove_stale_temporaries(dir);
    Ok(())
}

const TMP_PREFIX: &str = ".corridor-";
const TMP_SUFFIX: &str = ".tmp";

/// Removes `.corridor-{pid}-*.tmp` files in `dir` left by killed runs: those of processes that no
/// longer exist (Linux, via /proc), elsewhere those older than a day. Errors are ignored.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    let procfs = Path::new("/proc/self").exists();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(TMP_PREFIX)
            .and_then(|r| r.strip_suffix(TMP_SUFFIX))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(p) if p == me => false,
            Some(p) if procfs => !Path::new("/proc").join(p.to_string()).exists(),
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600),
        };
        if stale && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Sends output to `out` (atomically) or to standard output.
pub fn emit(out: Option<&Path>, contents: &str) -> Result<()> {
    match out {
        Some(p) => write_atomic(p, contents.as_bytes()),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match lock
                .write_all(contents.as_bytes())
                .and_then(|_| lock.flush())
            {
                Ok(()) => Ok(()),
                // A closed pipe (`corridor routes | head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e).context("cannot write to standard output"),
            }
        }
    }
}
