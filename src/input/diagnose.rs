//! Every error of a file, for `corridor check`.
//!
//! The reader stops a file at its first malformed feature (a geometry of the wrong type, a
//! coordinate out of range or NaN): serde cannot go on inside a document it has rejected, and
//! the commands that load data need only know that the file is refused. `check` must list every
//! problem, so when a collection is refused at one feature, [`every_error`] reads it again one
//! feature at a time:
//! 1. the document is split into its members and its features, each kept as its own bytes
//!    (`RawValue`: nothing re-encoded, numbers exactly as written);
//! 2. each feature is parsed alone, in a collection with the file's other members (`crs`), so
//!    that every malformed feature gives its own error;
//! 3. the features that parse are loaded together, as the file would be (the schema is detected
//!    from all of them, ids are checked across them), for the errors of the schema layer.
//!
//! Errors name the features by their index in the original file.

use crate::error::{DataError, DataErrors};
use crate::input::parse::parse_collection_sequential;
use crate::input::Source;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Every error `load` finds in `src`, one per malformed feature when the file is a collection
/// refused at one feature; `load`'s own errors otherwise (none when it loads).
pub fn every_error<T>(
    src: &Source,
    load: impl Fn(&Source) -> Result<T, DataErrors>,
) -> Vec<DataError> {
    let first = match load(src) {
        Ok(_) => return Vec::new(),
        Err(e) => e.0,
    };
    // Only a parse stopped at one feature hides further errors: the schema layer already
    // collects every error of the features it reads.
    let stopped_at_feature = first.len() == 1
        && first[0].place.feature.is_some()
        && parse_collection_sequential(&src.name, &src.bytes).is_err();
    if !stopped_at_feature {
        return first;
    }
    feature_by_feature(src, &load).unwrap_or(first)
}

/// Steps 1–3 of the module docs; `None` when the document cannot be split (not a collection,
/// or not JSON the splitter reads): the first error is then all there is to say.
fn feature_by_feature<T>(
    src: &Source,
    load: &impl Fn(&Source) -> Result<T, DataErrors>,
) -> Option<Vec<DataError>> {
    let text = std::str::from_utf8(&src.bytes).ok()?;
    let members: BTreeMap<String, &RawValue> = serde_json::from_str(text).ok()?;
    let features: Vec<&RawValue> = serde_json::from_str(members.get("features")?.get()).ok()?;
    let others: Vec<String> = members
        .iter()
        .filter(|(k, _)| k.as_str() != "features")
        .map(|(k, v)| {
            format!(
                "{}:{}",
                serde_json::to_string(k).unwrap_or_default(),
                v.get()
            )
        })
        .collect();
    let document = |feats: &[&RawValue]| -> Source {
        let mut s = String::from("{");
        for o in &others {
            s.push_str(o);
            s.push(',');
        }
        s.push_str("\"features\":[");
        for (i, f) in feats.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(f.get());
        }
        s.push_str("]}");
        Source::new(src.name.clone(), s.into_bytes())
    };
    let mut errors = Vec::new();
    let mut good: Vec<&RawValue> = Vec::new();
    // Index in the good collection -> index in the file.
    let mut original: Vec<usize> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let one = document(std::slice::from_ref(f));
        match parse_collection_sequential(&one.name, &one.bytes) {
            Ok(_) => {
                good.push(f);
                original.push(i);
            }
            Err(mut e) => {
                if e.place.feature.is_some() {
                    e.place.feature = Some(i);
                }
                errors.push(e);
            }
        }
    }
    if !good.is_empty() {
        if let Err(e) = load(&document(&good)) {
            for mut err in e.0 {
                if let Some(j) = err.place.feature {
                    err.place.feature = original.get(j).copied();
                }
                errors.push(err);
            }
        }
    }
    errors.sort_by_key(|e| e.place.feature);
    Some(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load_network, LoadOptions};

    #[test]
    fn each_malformed_feature_and_each_schema_error_is_listed() {
        let text = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"corridor":"A","id":"a1","commodity":"gas"},"geometry":{"type":"LineString","coordinates":[[45,41],[46,41]]}},
{"type":"Feature","properties":{"corridor":"A","id":"a2","commodity":"gas"},"geometry":{"type":"LineString","coordinates":[[46,41],[200,41]]}},
{"type":"Feature","properties":{"corridor":"A","id":"a3","commodity":"gas"},"geometry":{"type":"Point","coordinates":[46,"x"]}},
{"type":"Feature","properties":{"corridor":"A","id":"a1","commodity":"gas"},"geometry":{"type":"LineString","coordinates":[[47,41],[48,41]]}},
{"type":"Feature","properties":{"corridor":"A","id":"a5","commodity":"gas"},"geometry":{"type":"LineString","coordinates":[[48,41],[49,95]]}}
]}"#;
        let src = Source::new("four.geojson", text.as_bytes().to_vec());
        let errs = every_error(&src, |s| {
            load_network(std::slice::from_ref(s), LoadOptions::default())
        });
        let at: Vec<Option<usize>> = errs.iter().map(|e| e.place.feature).collect();
        // Features 1, 2 and 4 are malformed; feature 3 repeats feature 0's id.
        assert_eq!(at, [Some(1), Some(2), Some(3), Some(4)], "{errs:#?}");
        assert!(errs[0].message.contains("[200, 41]"), "{}", errs[0].message);
        assert!(errs[2].message.contains("a1"), "{}", errs[2].message);
        assert!(errs[3].message.contains("95"), "{}", errs[3].message);
    }

    #[test]
    fn a_file_that_loads_has_no_error_and_malformed_json_one() {
        let ok = Source::new(
            "ok.geojson",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"corridor":"A","id":"a1","commodity":"gas"},"geometry":{"type":"LineString","coordinates":[[45,41],[46,41]]}}]}"#.to_vec(),
        );
        let load = |s: &Source| load_network(std::slice::from_ref(s), LoadOptions::default());
        assert!(every_error(&ok, load).is_empty());
        let bad = Source::new("bad.geojson", b"{\"type\":\"FeatureCollection\",".to_vec());
        assert_eq!(every_error(&bad, load).len(), 1);
    }
}
