//! Every app command is named once in `commands.list` (which `build.rs` turns
//! into permissions), registered in the handler, and granted one by one to the
//! main window, which gets nothing else.

mod common;

use std::collections::BTreeSet;

use common::{demo_app, some_day};
use serde_json::{Value, json};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn listed_commands() -> Vec<String> {
    std::fs::read_to_string(format!("{MANIFEST_DIR}/commands.list"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{MANIFEST_DIR}/{path}")).unwrap())
        .unwrap()
}

#[test]
fn every_listed_command_is_registered_and_nothing_else_is() {
    let app = demo_app(some_day());
    for cmd in listed_commands() {
        // Arguments are deliberately absent: a registered command answers with
        // an argument error, an unregistered one with "not found".
        let answer = app.invoke(&cmd, json!({}));
        let text = format!("{answer:?}");
        assert!(
            !text.contains("not found"),
            "{cmd} is listed but not registered: {text}"
        );
    }
    let unknown = app.invoke("read_file", json!({})).unwrap_err();
    assert!(unknown.to_string().contains("not found"), "{unknown}");
}

#[test]
fn the_main_window_is_granted_exactly_the_listed_commands() {
    let capability = read_json("capabilities/main-window.json");
    assert_eq!(capability["windows"], json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote origin may reach IPC"
    );
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .expect("permissions are plain identifiers")
                .to_owned()
        })
        .collect();
    let expected: BTreeSet<String> = listed_commands()
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(granted, expected);

    let files: Vec<_> = std::fs::read_dir(format!("{MANIFEST_DIR}/capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files,
        ["main-window.json"],
        "one capability file, for the one window"
    );
}

#[test]
fn the_config_keeps_the_webview_closed() {
    let config = read_json("tauri.conf.json");
    let security = &config["app"]["security"];
    assert_eq!(security["freezePrototype"], true);
    assert_eq!(security["pattern"]["use"], "isolation");
    assert_eq!(security["capabilities"], json!(["main-window"]));
    assert_eq!(config["app"]["withGlobalTauri"], false);

    let csp = security["csp"].as_object().expect("a CSP is set");
    for (directive, sources) in csp {
        let sources = sources.as_str().unwrap();
        for source in sources.split_whitespace() {
            let local = source.starts_with('\'')
                || matches!(
                    source,
                    "ipc:"
                        | "asset:"
                        | "blob:"
                        | "data:"
                        | "http://ipc.localhost"
                        | "http://asset.localhost"
                );
            assert!(
                local,
                "{directive} allows a remote or unknown source: {source}"
            );
        }
    }
    for directive in [
        "default-src",
        "script-src",
        "connect-src",
        "object-src",
        "form-action",
    ] {
        assert!(csp.contains_key(directive), "CSP lacks {directive}");
    }
    // Tauri adds the isolation frame's origin to default-src only; a frame-src
    // of our own would override it and cut the page off from IPC.
    assert!(
        !csp.contains_key("frame-src"),
        "frame-src would block the isolation frame"
    );
    assert!(
        !csp["script-src"].as_str().unwrap().contains("unsafe"),
        "no unsafe scripts"
    );
}

fn cargo_tree(package: &str, extra: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "--locked",
            "--prefix",
            "none",
            "-p",
            package,
        ])
        .args(extra)
        .current_dir(MANIFEST_DIR)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What is compiled into the app for this platform, by package name
/// (Cargo.lock also lists other platforms' optional crates, such as tauri's
/// reqwest, which are never built here).
fn built_packages(package: &str) -> BTreeSet<String> {
    cargo_tree(package, &["-e", "normal,build", "--format", "{p}"])
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_networking_crate_and_no_risky_plugin_is_built_in() {
    const NETWORKING: &[&str] = &[
        "reqwest",
        "hyper",
        "hyper-util",
        "h2",
        "h3",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "attohttpc",
        "rustls",
        "native-tls",
        "tungstenite",
        "quinn",
    ];
    for package in [
        "kluis-app",
        "kluis-core",
        "kluis-cli",
        "kluis-seal",
        "kluis-vault",
        "whatsapp-export",
    ] {
        let built = built_packages(package);
        assert!(built.contains(package), "cargo tree listed {built:?}");
        let networking: Vec<_> = NETWORKING.iter().filter(|n| built.contains(**n)).collect();
        assert!(
            networking.is_empty(),
            "{package} builds networking crates: {networking:?}"
        );
        let plugins: Vec<_> = built
            .iter()
            .filter(|p| p.starts_with("tauri-plugin-"))
            .collect();
        assert!(
            plugins.iter().all(|p| *p == "tauri-plugin-single-instance"),
            "{package}: only the single-instance plugin (no http, shell, opener, fs, updater): {plugins:?}"
        );
    }
}

#[test]
fn devtools_are_not_compiled_into_a_release() {
    // Tauri enables the inspector in debug builds only, unless its
    // `devtools` feature is on; that feature must never be.
    let features = cargo_tree("kluis-app", &["-e", "features", "-i", "tauri"]);
    assert!(
        features.contains("tauri feature \"isolation\""),
        "{features}"
    );
    assert!(
        !features.contains("tauri feature \"devtools\""),
        "{features}"
    );
}

/// The adapters open, unlock, lock and change key slots only through the
/// desk in core: neither depends on the vault crate (the shell's tests may,
/// to read the audit log as the admin would).
#[test]
fn the_adapters_reach_the_vault_only_through_the_desk() {
    for (manifest, sources) in [
        ("Cargo.toml", "src"),
        ("../crates/cli/Cargo.toml", "../crates/cli/src"),
    ] {
        let text = std::fs::read_to_string(format!("{MANIFEST_DIR}/{manifest}")).unwrap();
        let dependencies = text
            .split("\n[dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap();
        assert!(
            !dependencies.contains("kluis-vault"),
            "{manifest} depends on kluis-vault"
        );
        for entry in std::fs::read_dir(format!("{MANIFEST_DIR}/{sources}")).unwrap() {
            let path = entry.unwrap().path();
            let code = std::fs::read_to_string(&path).unwrap();
            assert!(
                !code.contains("kluis_vault"),
                "{} names kluis_vault",
                path.display()
            );
        }
    }
}
