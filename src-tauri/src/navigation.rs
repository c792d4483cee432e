//! Keeps the webview on the app's own pages.
//!
//! The CSP stops the page from loading anything remote; this guard stops the
//! webview itself from going anywhere else (a link in a message, a script
//! setting `location`). Together they make "the webview loads nothing remote"
//! hold by construction rather than by care.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime, Url};

/// A plugin whose only job is to refuse navigation away from the app.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            let dev_url = if tauri::is_dev() {
                webview.config().build.dev_url.clone()
            } else {
                None
            };
            let allowed = is_app_origin(url, dev_url.as_ref());
            if !allowed {
                // The scheme only: a URL can carry citizen data in its path or query.
                tracing::warn!(
                    scheme = url.scheme(),
                    "navigation away from the app refused"
                );
            }
            allowed
        })
        .build()
}

/// Whether `url` is one of the app's own origins: the embedded UI
/// (`tauri://localhost` on Linux and macOS, `http(s)://tauri.localhost` on
/// Windows), Tauri's isolation frame, or the dev server in a dev build.
pub fn is_app_origin(url: &Url, dev_url: Option<&Url>) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" | "isolation" => host == Some("localhost") && url.port().is_none(),
        "http" | "https" if host == Some("tauri.localhost") => url.port().is_none(),
        _ => dev_url.is_some_and(|dev| dev.origin() == url.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, dev: Option<&str>, expect: bool) {
        let url = Url::parse(url).expect("test URL parses");
        let dev = dev.map(|d| Url::parse(d).expect("dev URL parses"));
        assert_eq!(
            is_app_origin(&url, dev.as_ref()),
            expect,
            "{url} (dev {dev:?})"
        );
    }

    #[test]
    fn only_the_apps_own_origins_are_allowed() {
        check("tauri://localhost/", None, true);
        check("tauri://localhost/index.html#/gesprek/3", None, true);
        check("http://tauri.localhost/index.html", None, true);
        check("https://tauri.localhost/", None, true);
        check("isolation://localhost/index.html", None, true);

        check("tauri://localhost.evil.example/", None, false);
        check("tauri://localhost:8080/", None, false);
        check("http://tauri.localhost.evil.example/", None, false);
        check("http://tauri.localhost:1234/", None, false);
        check("https://example.org/", None, false);
        check("https://wa.me/31600000000", None, false);
        check("file:///etc/passwd", None, false);
        check("data:text/html,<script>alert(1)</script>", None, false);
        check("javascript:alert(1)", None, false);
        check("about:blank", None, false);
        check("http://localhost:5173/", None, false);
    }

    #[test]
    fn the_dev_server_only_in_a_dev_build_and_only_its_origin() {
        let dev = Some("http://localhost:5173");
        check("http://localhost:5173/", dev, true);
        check("http://localhost:5173/src/main.ts", dev, true);
        check("http://localhost:5174/", dev, false);
        check("https://localhost:5173/", dev, false);
        check("http://127.0.0.1:5173/", dev, false);
    }
}
