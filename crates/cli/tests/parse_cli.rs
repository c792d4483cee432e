//! `kluis parse` as a user runs it: folders, counts and refusals.

use std::path::Path;
use std::process::{Command, Output};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/whatsapp/public"
);

fn kluis(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(args)
        .output()
        .unwrap()
}

fn count(args: &[&str]) -> usize {
    let out = kluis(args);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_folder_counts_every_export_below_it() {
    let group = format!("{FIXTURES}/minvws-DSA-WhatsApp-merger");
    let files = [
        "Alice Wonderland/Export 1/WhatsApp Chat with Test export.txt",
        "Bob Bobsen/Export Bob/WhatsApp Chat with Test export.txt",
        "Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
        "Dave Davidson/Dave 1 media/_chat.txt",
    ];
    let one_by_one: usize = files
        .iter()
        .map(|f| count(&["parse", "--count", &format!("{group}/{f}")]))
        .sum();
    assert_eq!(count(&["parse", "--count", &group]), one_by_one);
    assert!(one_by_one > 200);
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    let out = kluis(&["parse", "--count", "/nonexistent/chat.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cannot open /nonexistent/chat.txt"), "{err}");
}

#[test]
fn an_endless_message_is_refused_with_its_line() {
    let dir = std::env::temp_dir().join(format!("kluis-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("endless.txt");
    let mut data = b"13-05-2022 09:00 - Eva: kort\n13-05-2022 09:01 - Eva: ".to_vec();
    data.extend(std::iter::repeat_n(b'a', 5 << 20));
    std::fs::write(&path, &data).unwrap();
    let out = kluis(&["parse", "--count", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("line 2") && err.contains("longer than 4 MiB"),
        "{err}"
    );
    assert!(!Path::new(&dir).exists(), "the test leaves nothing behind");
}

#[test]
fn a_zip_that_climbs_out_is_refused_and_nothing_is_printed() {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("_chat.txt", options).unwrap();
    writer
        .write_all(b"13-05-2022 09:00 - Eva: hallo\n")
        .unwrap();
    writer.start_file("xx/evil.sh", options).unwrap();
    writer.write_all(b"rm -rf ~").unwrap();
    let mut bytes = writer.finish().unwrap().into_inner();
    // The writer will not write `..`; patch both copies of the name.
    for i in 0..bytes.len() - 2 {
        if &bytes[i..i + 3] == b"xx/" {
            bytes[i..i + 2].copy_from_slice(b"..");
        }
    }
    let dir = std::env::temp_dir().join(format!("kluis-cli-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("WhatsApp Chat - Eva.zip");
    std::fs::write(&path, &bytes).unwrap();
    let out = kluis(&["parse", "--json", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing printed for a refused archive"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("refused entry \"../evil.sh\": its name climbs out of the folder (..)"),
        "{err}"
    );
}

#[test]
fn a_large_export_read_on_two_threads_reads_as_its_parts() {
    let part_path = format!("{FIXTURES}/whatstk/lorem.txt");
    let part = std::fs::read(&part_path).unwrap();
    // Over a megabyte, a file is read on two threads.
    let copies = (2 << 20) / part.len() + 1;
    let mut whole = Vec::new();
    for _ in 0..copies {
        whole.extend_from_slice(&part);
        whole.push(b'\n');
    }
    let dir = std::env::temp_dir().join(format!("kluis-cli-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let whole_path = dir.join("large.txt");
    std::fs::write(&whole_path, &whole).unwrap();
    let whole_path = whole_path.to_str().unwrap();

    let json = |path: &str| {
        let out = kluis(&["parse", "--json", path]);
        assert!(out.status.success(), "{out:?}");
        let list = String::from_utf8(out.stdout).unwrap();
        list.strip_prefix("[\n")
            .and_then(|l| l.strip_suffix("\n]\n"))
            .unwrap()
            .to_owned()
    };
    let one = json(&part_path);
    let all = json(whole_path);
    let counted = count(&["parse", "--count", whole_path]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(all, vec![one; copies].join(",\n"));
    assert_eq!(counted, copies * count(&["parse", "--count", &part_path]));
}
