//! Lists `assets/campaign/*.toml` so every bundled campaign file is compiled in: adding next
//! year's file is enough, no code names a year, and nothing is read from the folder at run time.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("../../assets/campaign");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The bundled campaign files: (file name, text).\npub(crate) const BUNDLED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let path = f.canonicalize().expect("the file exists");
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("writing to a string");
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("campaigns.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
