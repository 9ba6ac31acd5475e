//! The loader on arbitrary bytes: `parse_collection`, then `load_network` under each schema
//! choice (the first byte picks one), `load_zones`, and for networks that load, the topology.
//! Any panic is a bug: bad input must come back as an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/fuzz.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::loader(data);
});
