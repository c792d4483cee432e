//! Generates the Tauri context and one `allow-`/`deny-` permission per app
//! command, so that each command must be granted in `capabilities/`.

fn main() {
    println!("cargo:rerun-if-changed=commands.list");
    // One list, read by this script and checked by `tests/capabilities.rs`
    // against the handler and the capability file.
    let list = std::fs::read_to_string("commands.list").expect("src-tauri/commands.list");
    // `AppManifest::commands` wants 'static names; a build script may leak.
    let list: &'static str = Box::leak(list.into_boxed_str());
    let commands: Vec<&'static str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let manifest = tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice()));
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
