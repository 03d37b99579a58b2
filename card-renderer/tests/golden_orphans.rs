//! Every golden image belongs to a test: a golden whose test was removed (or renamed) fails
//! here instead of lying in `tests/golden/` unchecked. A golden `golden/KIND/CASE.png` belongs
//! to a test when a test file of this crate names both `"KIND"` and `"CASE"` as literals.

use std::path::Path;

#[test]
fn every_golden_image_has_a_test() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let sources: String = std::fs::read_dir(&tests)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && !p.ends_with("golden_orphans.rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut orphans = Vec::new();
    let mut seen = 0;
    for kind in std::fs::read_dir(tests.join("golden")).unwrap().filter_map(Result::ok) {
        let kind_name = kind.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(kind.path()).unwrap().filter_map(Result::ok) {
            let name = file.file_name().to_string_lossy().into_owned();
            let Some(case) = name.strip_suffix(".png") else {
                orphans.push(format!("{kind_name}/{name} (not a PNG)"));
                continue;
            };
            seen += 1;
            // Cards are checked through `Card::…check("case")`, the kind given once.
            let kind_named = sources.contains(&format!("\"{kind_name}\""));
            if !(kind_named && sources.contains(&format!("\"{case}\""))) {
                orphans.push(format!("{kind_name}/{case}"));
            }
        }
    }
    assert!(seen > 20, "only {seen} goldens found");
    assert!(orphans.is_empty(), "goldens with no test (delete them or restore their test): {orphans:?}");
}
