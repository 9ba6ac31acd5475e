//! Cutting a FeatureCollection's `features` array into runs of whole features without parsing
//! them, so that [`crate::input::parse`] can parse the runs on all cores.
//!
//! The scan only tracks what it must: strings (so that brackets and commas inside them are not
//! counted), the nesting depth, and the keys of the top-level object. It does not validate the
//! JSON: the parser does, over every byte, and the cuts are only trusted when it succeeds. For a
//! document serde_json accepts, the scan sees the same strings and brackets serde does (a string
//! ends at the first `"` not escaped by a `\`, whatever the escapes mean), so the cuts fall
//! exactly between elements of the array serde reads as `features`.
//!
//! Anything unusual (no top-level object, no `features` member or two of them, a top-level key
//! written with escapes, which could spell `features`) returns `None`, and the caller falls back
//! to the sequential parse.

use memchr::memchr2;
use std::ops::Range;

/// Where the `features` array is, and how it is cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSplit {
    /// Byte index of the `[` that opens the array.
    pub open: usize,
    /// Byte index of the `]` that closes it.
    pub close: usize,
    /// Runs of whole elements, in order: together with the single commas between them they
    /// cover `open + 1..close` exactly. Empty when the array holds only whitespace.
    pub chunks: Vec<Range<usize>>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| is_ws(*b)) {
        i += 1;
    }
    i
}

/// The index just past the `"` that closes a string whose contents start at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let k = i + memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes.get(k) == Some(&b'"') {
            return Some(k + 1);
        }
        // A backslash escapes the next byte (in `\uXXXX`, the `u`; the hex digits are plain).
        i = k + 2;
    }
}

/// Finds the top-level `features` array and cuts it into runs of at least `chunk_bytes` bytes
/// (the last one may be shorter). `on_run` is called with each run's number, range and the
/// number of elements before it (the commas between elements before the run: the index of its
/// first feature, once the run parses) as soon as it is cut, so that parsing can start while
/// the scan goes on; the runs it was given only count if the split as a whole is returned.
pub fn split_features(
    bytes: &[u8],
    chunk_bytes: usize,
    mut on_run: impl FnMut(usize, Range<usize>, usize),
) -> Option<FeatureSplit> {
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut depth = 1usize;
    // At depth 1, whether the next string is a member name (after `{` or a `,`).
    let mut expect_key = true;
    let mut found: Option<FeatureSplit> = None;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                let end = string_end(bytes, i + 1)?;
                if depth == 1 && expect_key {
                    expect_key = false;
                    let key = bytes.get(i + 1..end - 1)?;
                    if key.contains(&b'\\') {
                        return None;
                    }
                    let colon = skip_ws(bytes, end);
                    if bytes.get(colon) != Some(&b':') {
                        return None;
                    }
                    if key == b"features" {
                        if found.is_some() {
                            return None;
                        }
                        let open = skip_ws(bytes, colon + 1);
                        if bytes.get(open) != Some(&b'[') {
                            return None;
                        }
                        let split = cut_array(bytes, open, chunk_bytes, &mut on_run)?;
                        i = split.close + 1;
                        found = Some(split);
                        continue;
                    }
                    i = colon + 1;
                    continue;
                }
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return found;
                }
            }
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        i += 1;
    }
}

/// How each byte outside strings moves the nesting depth.
const DEPTH: [i8; 256] = {
    let mut t = [0i8; 256];
    t[b'[' as usize] = 1;
    t[b'{' as usize] = 1;
    t[b']' as usize] = -1;
    t[b'}' as usize] = -1;
    t
};

/// Scans the array opened at `open` to its closing bracket, cutting it at the first comma
/// between elements after every `chunk_bytes` bytes.
///
/// This is the one pass over the whole array that is not parallel, so the inner loop does as
/// little as it can: one table lookup per byte, and a branch that is taken only at a string or
/// between elements (depth 0).
fn cut_array(
    bytes: &[u8],
    open: usize,
    chunk_bytes: usize,
    on_run: &mut impl FnMut(usize, Range<usize>, usize),
) -> Option<FeatureSplit> {
    let mut chunks = Vec::new();
    let mut start = open + 1;
    // Commas between elements so far, and before the current run.
    let (mut commas, mut first) = (0usize, 0usize);
    // Depth inside the array: 0 between elements, -1 past its end.
    let mut depth = 0isize;
    let mut i = open + 1;
    loop {
        let rest = bytes.get(i..)?;
        let mut stop = None;
        for (k, &b) in rest.iter().enumerate() {
            depth += isize::from(DEPTH[usize::from(b)]);
            if b == b'"' || depth <= 0 {
                stop = Some((i + k, b));
                break;
            }
        }
        let (at, b) = stop?;
        i = at + 1;
        if b == b'"' {
            i = string_end(bytes, i)?;
        } else if depth < 0 {
            if b != b']' {
                return None;
            }
            let last = bytes.get(start..at)?;
            if !chunks.is_empty() || !last.iter().all(|b| is_ws(*b)) {
                on_run(chunks.len(), start..at, first);
                chunks.push(start..at);
            }
            return Some(FeatureSplit {
                open,
                close: at,
                chunks,
            });
        } else if b == b',' {
            commas += 1;
            if at - start >= chunk_bytes {
                on_run(chunks.len(), start..at, first);
                chunks.push(start..at);
                start = at + 1;
                first = commas;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str, chunk: usize) -> Option<Vec<&str>> {
        let mut runs = Vec::new();
        let sp = split_features(s.as_bytes(), chunk, |k, r, first| {
            // Every element a run of its own: the run's number is its first element's index.
            if chunk == 0 {
                assert_eq!(first, k, "{s}");
            }
            runs.push((k, r))
        })?;
        assert!(runs
            .iter()
            .map(|r| r.1.clone())
            .eq(sp.chunks.iter().cloned()));
        assert!(runs.iter().enumerate().all(|(k, r)| r.0 == k));
        assert_eq!(&s[sp.open..sp.open + 1], "[");
        assert_eq!(&s[sp.close..sp.close + 1], "]");
        Some(sp.chunks.iter().map(|r| &s[r.clone()]).collect())
    }

    #[test]
    fn cuts_between_whole_features() {
        let s = r#"{"type":"FeatureCollection","crs":{"features":[1]},"features":[{"a":"],[\"}"},
            {"b":[[1,2],{"c":"\\"}]} , {"d":1}],"x":[]}"#;
        assert_eq!(
            pieces(s, 0).unwrap(),
            [
                r#"{"a":"],[\"}"}"#,
                "\n            {\"b\":[[1,2],{\"c\":\"\\\\\"}]} ",
                r#" {"d":1}"#
            ]
        );
        assert_eq!(pieces(s, 1000).unwrap().len(), 1);
        assert_eq!(
            pieces(r#"{"features":[ ]}"#, 0).unwrap(),
            Vec::<&str>::new()
        );
        // A trailing comma leaves an empty last run, which the parser refuses.
        assert_eq!(pieces(r#"{"features":[1, ]}"#, 0).unwrap(), ["1", " "]);
    }

    #[test]
    fn declines_what_it_cannot_vouch_for() {
        for s in [
            "",
            "[]",
            r#"{"type":"FeatureCollection"}"#,
            r#"{"features":[],"features":[]}"#,
            r#"{"feat\u0075res":[],"features":[]}"#,
            r#"{"features":{}}"#,
            r#"{"features":[{"a":1}"#,
            r#"{"features":[{"a":"1}]}"#,
            r#"{"features":[}"#,
        ] {
            assert_eq!(split_features(s.as_bytes(), 0, |_, _, _| {}), None, "{s}");
        }
    }
}
