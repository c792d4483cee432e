//! `ui/src/lib/bindings.ts` is generated from the DTOs; this test fails when
//! it is stale. `UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings`
//! rewrites it.

use kluis_app::commands::CommandError;
use kluis_app::dto::{
    AppInfo, CaseStatusDto, ClosingOverview, ConsoleState, ConversationHeader, ConversationSummary,
    ConversationView, ExportOutcome, ExportResult, ImportBatch, ImportVia, InboxView, MessageView,
    PageEvent, QuarantinedFile, SealedDay, SenderDto, UnlockAs,
};
use ts_rs::{Config, TS};

fn generated() -> String {
    let cfg = Config::default();
    let decls = [
        AppInfo::decl(&cfg),
        ConsoleState::decl(&cfg),
        UnlockAs::decl(&cfg),
        CaseStatusDto::decl(&cfg),
        SenderDto::decl(&cfg),
        ConversationHeader::decl(&cfg),
        ConversationSummary::decl(&cfg),
        ConversationView::decl(&cfg),
        MessageView::decl(&cfg),
        CommandError::decl(&cfg),
        PageEvent::decl(&cfg),
        ImportBatch::decl(&cfg),
        ImportVia::decl(&cfg),
        ExportResult::decl(&cfg),
        ExportOutcome::decl(&cfg),
        InboxView::decl(&cfg),
        ClosingOverview::decl(&cfg),
        SealedDay::decl(&cfg),
        QuarantinedFile::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/dto.rs by src-tauri/tests/bindings.rs; do not edit.\n\
         // Regenerate: UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");
    let want = generated();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/lib/bindings.ts is stale; run UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings"
    );
}
