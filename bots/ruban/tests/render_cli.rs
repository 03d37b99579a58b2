//! `ruban render …` as a teacher uses it: files in, images out, one clear line and status 2
//! on bad input (and no file written).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ruban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruban")).args(args).output().expect("ruban runs")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ruban-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dims(path: &Path) -> (u32, u32) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (img.width(), img.height())
}

#[test]
fn card_badge_and_class_badge_from_flags() {
    let dir = tmp("flags");
    let card = dir.join("carte.png");
    let out = ruban(&[
        "render",
        "card",
        "--to",
        "Élodie 👩‍🏫",
        "--from",
        "Mme Tremblay",
        "--design",
        "3",
        "--out",
        card.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(dims(&card), (1080, 1080));

    let jpeg = dir.join("card.jpg");
    let out = ruban(&[
        "render",
        "card",
        "--to",
        "Jordan",
        "--lang",
        "en-CA",
        "--design",
        "encourage",
        "--out",
        jpeg.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(std::fs::read(&jpeg).unwrap().starts_with(&[0xFF, 0xD8]), "a .jpg out is a JPEG");

    let badge = dir.join("badge.png");
    assert!(
        ruban(&[
            "render",
            "badge",
            "--name",
            "Zoé",
            "--number",
            "1234",
            "--size",
            "512",
            "--out",
            badge.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert_eq!(dims(&badge), (512, 512));

    let class = dir.join("classe.png");
    let out = ruban(&[
        "render",
        "class-badge",
        "--class",
        "5e B",
        "--names",
        "Léa,Noah,Zoé",
        "--count",
        "28",
        "--out",
        class.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(dims(&class), (1080, 1080));
}

#[test]
fn json_spec_and_pdf_certificate() {
    let dir = tmp("spec");
    let spec = dir.join("cert.json");
    std::fs::write(&spec, r#"{"recipient": "Noah Gagnon", "reason": "son courage en lecture", "giver": "M. Roy", "date": "2026-02-19", "locale": "fr-CA"}"#).unwrap();
    let pdf = dir.join("certificat.pdf");
    let out = ruban(&["render", "certificate", "--spec", spec.to_str().unwrap(), "--out", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn bad_input_is_one_line_status_2_and_no_file() {
    let dir = tmp("bad");
    let out_path = dir.join("x.png");
    let long = "é".repeat(41);
    for args in [
        vec!["render", "card", "--to", long.as_str(), "--out", out_path.to_str().unwrap()],
        vec!["render", "card", "--to", "Léa", "--design", "9", "--out", out_path.to_str().unwrap()],
        vec!["render", "card", "--to", "Léa", "--lang", "es", "--out", out_path.to_str().unwrap()],
        vec!["render", "badge", "--number", "3", "--date", "19/02/2026", "--out", out_path.to_str().unwrap()],
    ] {
        let out = ruban(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("ruban: "), "{err}");
        assert!(!out_path.exists(), "{args:?} wrote a file");
    }
    let photo = dir.join("photo.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF\xE0 truncated").unwrap();
    let out = ruban(&["render", "avatar", "--photo", photo.to_str().unwrap(), "--out", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("photo"));
    assert!(!out_path.exists());
}

#[test]
fn a_class_of_certificates_from_csv() {
    let dir = tmp("csv");
    let csv = dir.join("classe.csv");
    std::fs::write(
        &csv,
        "name,reason,giver,organization,lang\n\
         Élodie Tremblay,sa persévérance en lecture,Mme Boucher,École A,\n\
         Noah,son courage en mathématiques,Mme Boucher,,en-CA\n\
         \"Zoé, la grande\",\"son sourire, chaque matin\",Mme Boucher,École A,fr-CA\n",
    )
    .unwrap();
    let out_dir = dir.join("certificats");
    let out = ruban(&["render", "certificate", "--csv", csv.to_str().unwrap(), "--out-dir", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<String> =
        std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "001-elodie-tremblay.pdf",
            "001-elodie-tremblay.png",
            "002-noah.pdf",
            "002-noah.png",
            "003-zoe-la-grande.pdf",
            "003-zoe-la-grande.png"
        ]
    );
    assert_eq!(dims(&out_dir.join("002-noah.png")), (3300, 2550));

    // A bad row: one line naming the file, the line and the field; nothing rendered.
    std::fs::write(&csv, format!("name,reason,giver\nLéa,ok,Mme B\n{},ok,Mme B\n", "x".repeat(41))).unwrap();
    let bad_dir = dir.join("bad");
    let out = ruban(&["render", "certificate", "--csv", csv.to_str().unwrap(), "--out-dir", bad_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("name"), "{err}");
    assert!(!bad_dir.exists());
}

/// A school's logo on a certificate (issue 16): `--logo` draws it in its place between the
/// signature and the date, on one certificate and on a class's; a file that is no image is one
/// clear line, status 2, and no certificate.
#[test]
fn a_certificate_carries_the_schools_logo() {
    let dir = tmp("logo");
    // A logo a school would have: a blue disc on white, as a PNG, and the same as an SVG.
    let png = dir.join("logo.png");
    image::RgbaImage::from_fn(200, 200, |x, y| {
        let (dx, dy) = (x as i32 - 100, y as i32 - 100);
        if dx * dx + dy * dy < 90 * 90 { image::Rgba([20, 60, 200, 255]) } else { image::Rgba([255, 255, 255, 0]) }
    })
    .save(&png)
    .unwrap();
    let svg = dir.join("logo.svg");
    std::fs::write(&svg, r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4.5" fill="#143cc8"/></svg>"##).unwrap();
    let args = ["render", "certificate", "--to", "Élodie", "--reason", "sa persévérance", "--giver", "Mme Tremblay"];
    let blue_in_the_logo_place = |path: &Path| {
        let img = image::open(path).unwrap().to_rgb8();
        // LOGO_AREA: 300 x 300 at (1500, 1780) on the 3300 x 2550 certificate.
        (1500..1800)
            .step_by(5)
            .flat_map(|x| (1780..2080).step_by(5).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y);
                p[2] > 150 && p[0] < 80
            })
            .count()
    };
    let plain = dir.join("plain.png");
    assert!(ruban(&[&args[..], &["--out", plain.to_str().unwrap()]].concat()).status.success());
    assert_eq!(blue_in_the_logo_place(&plain), 0, "no logo asked, none drawn");
    for logo in [&png, &svg] {
        let out = dir.join(format!("with-{}.png", logo.extension().unwrap().to_str().unwrap()));
        let run = ruban(&[&args[..], &["--logo", logo.to_str().unwrap(), "--out", out.to_str().unwrap()]].concat());
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(dims(&out), (3300, 2550));
        assert!(blue_in_the_logo_place(&out) > 1000, "{}: the logo in its place", logo.display());
    }
    // A class's certificates, each with the logo.
    let csv = dir.join("classe.csv");
    std::fs::write(&csv, "name,reason,giver\nZoé,sa persévérance,Mme Roy\nNoah,ses efforts,Mme Roy\n").unwrap();
    let out_dir = dir.join("classe");
    let run = ruban(&[
        "render",
        "certificate",
        "--csv",
        csv.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--logo",
        png.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let pngs: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert_eq!(pngs.len(), 2);
    for p in &pngs {
        assert!(blue_in_the_logo_place(p) > 1000, "{}", p.display());
    }
    // A logo that is no image: one line, status 2, nothing written.
    let bad = dir.join("logo.png.txt");
    std::fs::write(&bad, "pas une image").unwrap();
    let out = dir.join("bad.png");
    let run = ruban(&[&args[..], &["--logo", bad.to_str().unwrap(), "--out", out.to_str().unwrap()]].concat());
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("logo"), "{err}");
    assert!(!out.exists());
}

/// `ruban` with `RUBAN_TODAY` (and the environment given) set.
fn ruban_on(today: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ruban"));
    c.args(args).env("RUBAN_TODAY", today).env_remove("RUBAN_CAMPAIGN_FILE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("ruban runs")
}

/// Issue 33: one clock. The date drawn on a badge, a class badge and a certificate is
/// `RUBAN_TODAY`'s (the same as `--date` gives), never the machine's; the avatar carries the
/// campaign the calendar picks for that day (a 2027 file), not the bundled 2026 one.
#[test]
fn images_are_stamped_with_ruban_today_and_its_campaign() {
    let dir = tmp("clock");
    let draw = |today: &str, env: &[(&str, &str)], args: &[&str], name: &str| {
        let out = dir.join(name);
        let mut all = args.to_vec();
        all.extend_from_slice(&["--out", out.to_str().unwrap()]);
        let done = ruban_on(today, env, &all);
        assert!(done.status.success(), "{args:?}: {}", String::from_utf8_lossy(&done.stderr));
        image::open(&out).unwrap().to_rgba8().into_raw()
    };
    for (kind, args) in [
        ("badge", &["render", "badge", "--name", "Zoé", "--number", "12"][..]),
        ("class-badge", &["render", "class-badge", "--class", "5e B", "--names", "Léa,Noah", "--count", "2"]),
        (
            "certificate",
            &["render", "certificate", "--to", "Noah", "--reason", "Pour ta persévérance", "--giver", "Mme Tremblay"],
        ),
    ] {
        let on_17 = draw("2026-02-17", &[], args, &format!("{kind}-17.png"));
        let on_19 = draw("2026-02-19", &[], args, &format!("{kind}-19.png"));
        let mut dated = args.to_vec();
        dated.extend_from_slice(&["--date", "2026-02-19"]);
        let asked = draw("2026-02-17", &[], &dated, &format!("{kind}-date.png"));
        assert_ne!(on_17, on_19, "{kind}: RUBAN_TODAY changes the day drawn");
        assert_eq!(on_19, asked, "{kind}: RUBAN_TODAY=2026-02-19 draws what --date 2026-02-19 does");
    }

    let campaigns = dir.join("campagnes");
    std::fs::create_dir_all(&campaigns).unwrap();
    std::fs::write(campaigns.join("2026.toml"), ruban_vocabulary::Campaign::embedded().to_toml()).unwrap();
    let made = ruban_on(
        "2026-12-07",
        &[],
        &[
            "campaign",
            "new",
            "2027",
            "--start",
            "2027-02-15",
            "--theme-fr",
            "Ensemble, on va plus loin.",
            "--theme-en",
            "Together we go further.",
            "--dir",
            campaigns.to_str().unwrap(),
        ],
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let photo = dir.join("photo.png");
    image::RgbImage::from_pixel(600, 600, image::Rgb([40, 160, 90])).save(&photo).unwrap();
    let env = [("RUBAN_CAMPAIGN_FILE", campaigns.to_str().unwrap())];
    let avatar = ["render", "avatar", "--photo", photo.to_str().unwrap()];
    let in_2026 = draw("2026-01-10", &env, &avatar, "avatar-2026.png");
    let in_2027 = draw("2027-01-10", &env, &avatar, "avatar-2027.png");
    assert_ne!(in_2026, in_2027, "the avatar carries the 2027 campaign when it is the next one");
}

/// Issue 35: the command line refuses what it cannot do rather than writing bytes a file's
/// name lies about: `--out x.gif`, a PNG name with `--format jpeg`; nothing is written.
#[test]
fn an_out_whose_name_says_another_format_is_refused() {
    let dir = tmp("formats");
    for (args, name) in [
        (&["render", "badge", "--number", "3"][..], "badge.gif"),
        (&["render", "card", "--to", "Léa", "--format", "jpeg"], "carte.png"),
        (&["render", "class-badge", "--class", "5e B", "--count", "3"], "classe.webp"),
    ] {
        let out = dir.join(name);
        let mut all = args.to_vec();
        all.extend_from_slice(&["--out", out.to_str().unwrap()]);
        let run = ruban(&all);
        assert_eq!(run.status.code(), Some(2), "{args:?} {name}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(name) && err.lines().count() == 1, "{err}");
        assert!(!out.exists(), "{name} was written");
    }
    let jpeg = dir.join("badge.jpg");
    assert!(ruban(&["render", "badge", "--number", "3", "--out", jpeg.to_str().unwrap()]).status.success());
    assert!(std::fs::read(&jpeg).unwrap().starts_with(&[0xFF, 0xD8]), "a .jpg is a JPEG");
}
