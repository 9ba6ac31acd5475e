//! Embeds the default dataset (`data/network` with its capacity history, `data/zones`,
//! `data/basemap`, `data/supply`) in
//! the binary, so every command works from any folder. Files are listed in sorted order so
//! that builds, and the outputs that hash them, are reproducible.

use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut code = String::new();
    // One digest of the whole embedded dataset (every file's name and bytes, in order), for
    // `corridor --version`: a figure can cite the tool and the data it drew.
    let mut digest = Sha256::new();
    for (name, dir, ext) in [
        ("NETWORK", "data/network", "geojson"),
        ("ZONES", "data/zones", "geojson"),
        ("BASEMAP", "data/basemap", "geojson"),
        ("SUPPLY", "data/supply", "csv"),
        ("HISTORY", "data/network", "csv"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files: Vec<String> = fs::read_dir(Path::new(&root).join(dir))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|f| f.ends_with(&format!(".{ext}")))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        code.push_str(&format!("pub static {name}: &[(&str, &[u8])] = &[\n"));
        for f in files {
            println!("cargo:rerun-if-changed={dir}/{f}");
            let bytes = fs::read(Path::new(&root).join(dir).join(&f)).expect("read data file");
            digest.update(format!("{dir}/{f}").as_bytes());
            digest.update([0u8]);
            digest.update((bytes.len() as u64).to_le_bytes());
            digest.update(&bytes);
            code.push_str(&format!(
                "    (\"{dir}/{f}\", include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{f}\"))),\n"
            ));
        }
        code.push_str("];\n");
    }
    let hex: String = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=CORRIDOR_DATASET_SHA256={hex}");
    let mut file =
        fs::File::create(Path::new(&out).join("embedded.rs")).expect("write embedded.rs");
    file.write_all(code.as_bytes()).expect("write embedded.rs");
}
