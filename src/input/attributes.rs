//! A tracker's attribute table (`--attributes FILE`): one row per project, keyed by GEM's
//! `ProjectID`, read from CSV or from the tracker's own spreadsheet (`.xlsx`, `.xls`, `.xlsb`,
//! `.ods`, through `calamine`).
//!
//! GEM keeps a route's attributes (name, fuel, capacity, status, years) in its tracker
//! spreadsheet and names each route file after the project (`P0123.geojson`); the loader joins
//! the two (see [`crate::input::schema`]). Here the table is only read: the header row is the
//! first row (of the first 20) that holds a `ProjectID` column, every sheet with such a header is
//! read, empty cells and GEM's `--` are left out, and a ProjectID given twice keeps its first
//! row (`check` says so).

use super::props::Properties;
use super::Source;
use crate::error::{DataError, DataErrors, Place, Problem, Severity};
use foldhash::{HashMap, HashMapExt};

/// One row of the table: the project, where it is, and its non-empty cells by column name.
#[derive(Debug, Clone)]
pub struct AttributeRow {
    pub project: String,
    /// Where the row is, for messages: `row 12` or `sheet "Gas Pipelines" row 12` (1-based, as a
    /// spreadsheet numbers them).
    pub at: String,
    pub props: Properties,
}

/// The rows of an attribute table by ProjectID.
#[derive(Debug, Clone)]
pub struct Attributes {
    /// The file, as named in messages.
    pub file: String,
    rows: Vec<AttributeRow>,
    index: HashMap<String, usize>,
    /// What reading the table found (duplicate ProjectIDs, rows without one), for `check`.
    pub problems: Vec<Problem>,
}

/// How the ProjectID column may be spelled (compared without case, spaces or underscores).
fn is_project_column(h: &str) -> bool {
    let k: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    k == "projectid"
}

/// A cell that says nothing: empty, blank, or GEM's `--`.
fn blank(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || v == "--" || v == "-"
}

impl Attributes {
    /// Reads a table: CSV (comma, semicolon or tab separated) unless the name ends in `.xlsx`,
    /// `.xlsm`, `.xls`, `.xlsb` or `.ods`.
    pub fn parse(src: &Source) -> Result<Attributes, DataErrors> {
        let lower = src.name.to_ascii_lowercase();
        let sheet = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"]
            .iter()
            .any(|e| lower.ends_with(e));
        let tables = if sheet {
            read_workbook(src)?
        } else {
            vec![(None, read_csv(src)?)]
        };
        let mut out = Attributes {
            file: src.name.clone(),
            rows: Vec::new(),
            index: HashMap::new(),
            problems: Vec::new(),
        };
        let mut found_header = false;
        for (sheet, rows) in tables {
            let Some(h) = rows
                .iter()
                .take(20)
                .position(|r| r.iter().any(|c| is_project_column(c)))
            else {
                continue;
            };
            found_header = true;
            let header = &rows[h];
            let pid = header
                .iter()
                .position(|c| is_project_column(c))
                .unwrap_or(0);
            let mut without_id = 0usize;
            for (k, row) in rows.iter().enumerate().skip(h + 1) {
                if row.iter().all(|c| blank(c)) {
                    continue;
                }
                let at = match &sheet {
                    Some(s) => format!("sheet {s:?} row {}", k + 1),
                    None => format!("row {}", k + 1),
                };
                let project = row.get(pid).map(|s| s.trim()).unwrap_or_default();
                if blank(project) {
                    without_id += 1;
                    continue;
                }
                let pairs = header
                    .iter()
                    .zip(row)
                    .filter(|(h, v)| !h.trim().is_empty() && !blank(v))
                    .map(|(h, v)| (h.trim(), v.trim()));
                let props = Properties::from_strings(pairs);
                if let Some(&first) = out.index.get(project) {
                    out.problems.push(Problem::new(
                        &Place::file(&src.name),
                        Severity::Warning,
                        format!(
                            "{at}: ProjectID {project:?} also in {}: the first row is used",
                            out.rows[first].at
                        ),
                    ));
                    continue;
                }
                out.index.insert(project.to_string(), out.rows.len());
                out.rows.push(AttributeRow {
                    project: project.to_string(),
                    at,
                    props,
                });
            }
            if without_id > 0 {
                out.problems.push(Problem::new(
                    &Place::file(&src.name),
                    Severity::Warning,
                    format!(
                        "{without_id} row(s){} have no ProjectID and are not used",
                        sheet
                            .map(|s| format!(" of sheet {s:?}"))
                            .unwrap_or_default()
                    ),
                ));
            }
        }
        if !found_header {
            return Err(DataError::new(
                Place::file(&src.name).with_property("ProjectID"),
                "no `ProjectID` column in the first 20 rows: the attributes are joined to route files by GEM's ProjectID",
            )
            .into());
        }
        Ok(out)
    }

    /// The row of a project.
    pub fn get(&self, project: &str) -> Option<&AttributeRow> {
        self.index.get(project).map(|&i| &self.rows[i])
    }

    /// Every row, in file order.
    pub fn rows(&self) -> &[AttributeRow] {
        &self.rows
    }
}

/// A CSV table as rows of cells (the separator is the one of `,`, `;` and tab the first line
/// holds most of).
fn read_csv(src: &Source) -> Result<Vec<Vec<String>>, DataError> {
    let bytes = src
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&src.bytes);
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    let sep = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            DataError::new(
                Place::file(&src.name),
                format!("row {}: not a CSV row: {e}", i + 1),
            )
        })?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// A table's rows of cells, with the sheet it came from (none for CSV).
type Table = (Option<String>, Vec<Vec<String>>);

/// Every sheet of a workbook as rows of cells.
fn read_workbook(src: &Source) -> Result<Vec<Table>, DataError> {
    use calamine::{Data, Reader};
    let cursor = std::io::Cursor::new(src.bytes.as_slice());
    let mut book = calamine::open_workbook_auto_from_rs(cursor).map_err(|e| {
        DataError::new(
            Place::file(&src.name),
            format!("cannot read the spreadsheet: {e}"),
        )
    })?;
    let mut out = Vec::new();
    for (name, range) in book.worksheets() {
        let rows = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                        Data::Int(i) => i.to_string(),
                        Data::Float(f) => f.to_string(),
                        Data::Bool(b) => b.to_string(),
                        Data::DateTime(d) => d.as_f64().to_string(),
                        Data::Error(_) | Data::Empty => String::new(),
                    })
                    .collect()
            })
            .collect();
        out.push((Some(name), rows));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_by_project() {
        let src = Source::new(
            "a.csv",
            b"\xEF\xBB\xBFProjectID;PipelineName;Capacity\nP0001;One;--\n;orphan;1\nP0001;Again;2\nP0002;Two;3.5\n"
                .to_vec(),
        );
        let a = Attributes::parse(&src).unwrap();
        assert_eq!(a.rows().len(), 2);
        let r = a.get("P0001").unwrap();
        assert_eq!(r.at, "row 2");
        assert_eq!(
            r.props.get("PipelineName").and_then(|p| p.as_str()),
            Some("One")
        );
        assert!(r.props.get("Capacity").is_none(), "`--` is empty");
        assert_eq!(a.problems.len(), 2, "{:?}", a.problems);
        let e =
            Attributes::parse(&Source::new("b.csv", b"Name,Fuel\nx,Gas\n".to_vec())).unwrap_err();
        assert!(e.to_string().contains("ProjectID"), "{e}");
    }
}
