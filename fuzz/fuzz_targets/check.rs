//! `corridor check` on arbitrary bytes, as one file or (split at the first NUL byte) as two.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/fuzz.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::check(data);
});
