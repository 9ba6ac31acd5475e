//! Errors that name the place at fault: file, feature (index and id) and property.
//!
//! Every error that bad input can cause is a [`DataError`]; the CLI prints it and exits
//! with status 1. Nothing here panics.

use std::fmt;

/// Where in the input a problem sits. Every field is optional because some problems
/// belong to a whole file (malformed JSON) and some to one property of one feature.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    /// The file as the user named it (or `embedded:data/...` for the default dataset).
    pub file: String,
    /// 0-based index of the feature in the file's `features` array.
    pub feature: Option<usize>,
    /// The feature's id, where it has one.
    pub id: Option<String>,
    /// The property (or member, e.g. `geometry`) at fault.
    pub property: Option<String>,
}

impl Place {
    pub fn file(file: &str) -> Self {
        Place {
            file: file.to_string(),
            ..Place::default()
        }
    }

    pub fn feature(file: &str, index: usize, id: Option<&str>) -> Self {
        Place {
            file: file.to_string(),
            feature: Some(index),
            id: id.map(str::to_string),
            property: None,
        }
    }

    pub fn with_property(mut self, property: &str) -> Self {
        self.property = Some(property.to_string());
        self
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(i) = self.feature {
            write!(f, ": feature {i}")?;
            if let Some(id) = &self.id {
                write!(f, " (id {id:?})")?;
            }
        }
        if let Some(p) = &self.property {
            write!(f, ": property `{p}`")?;
        }
        Ok(())
    }
}

/// A problem with the input data: the place, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {message}")]
pub struct DataError {
    pub place: Place,
    pub message: String,
}

impl DataError {
    pub fn new(place: Place, message: impl Into<String>) -> Self {
        DataError {
            place,
            message: message.into(),
        }
    }
}

/// One or more data errors found in one pass (the loader reports them all, not just the first).
#[derive(Debug, Clone, thiserror::Error)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 20;
        for (i, e) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, "\n... and {} more problems", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl DataErrors {
    /// `Ok(value)` when no error was collected, else all the errors.
    pub fn or_ok<T>(errors: Vec<DataError>, value: T) -> Result<T, DataErrors> {
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(DataErrors(errors))
        }
    }
}

impl From<DataError> for DataErrors {
    fn from(e: DataError) -> Self {
        DataErrors(vec![e])
    }
}

/// How bad a problem `check` reports is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A finding of the loader or of the topology pass, as `corridor check` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub feature: Option<usize>,
    pub id: Option<String>,
    /// The property (or member, e.g. `geometry`) at fault, where there is one; the message
    /// names it too.
    pub property: Option<String>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn new(place: &Place, severity: Severity, message: impl Into<String>) -> Self {
        let message = message.into();
        Problem {
            file: place.file.clone(),
            feature: place.feature,
            id: place.id.clone(),
            property: place.property.clone(),
            severity,
            message: match &place.property {
                Some(p) => format!("property `{p}`: {message}"),
                None => message,
            },
        }
    }
}

impl From<&DataError> for Problem {
    fn from(e: &DataError) -> Self {
        Problem::new(&e.place, Severity::Error, e.message.clone())
    }
}
