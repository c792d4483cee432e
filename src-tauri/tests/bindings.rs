//! `ui/src/lib/api/bindings.ts` is generated from the DTOs, and
//! `ui/src/lib/api/commands.ts` (one typed function per command, the only
//! code that calls `invoke`) from the command handlers' signatures in
//! `src/commands.rs`; this test fails when either is stale.
//! `UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings` rewrites them.

use std::collections::BTreeSet;

use kluis_app::commands::CommandError;
use kluis_app::dto::{
    AppInfo, CaseChangeDto, CaseProblem, CaseStateDto, CatalogueView, ClosingOverview,
    ConsoleState, ConversationHeader, ConversationRef, ConversationSummary, ConversationView,
    EntryView, ExportOutcome, ExportResult, FindDto, FoundConversationView, FoundHitView,
    FoundView, HandEntryDto, HandoverNoteView, HandoverView, ImportBatch, ImportVia, InboxView,
    LabelView, ListQueryDto, LocalStampDto, MediaKindDto, MediaProblem, MediaView, MessageView,
    OrderDto, PageEvent, PlaceDto, QuarantinedFile, ReopenedDto, SealedDay, SenderDto, SnippetPart,
    StateKindDto, StatusDto, SuggestionView, UnlockAs, VersionView, VersionWhy,
};
use kluis_app::dto::{
    ClockTime, DateDto, DateOrderDto, DifferedDto, ImportProblem, InboxProblem, LeftBehind,
    LockReason, Stamp, Unavailable, WarningDto,
};
use ts_rs::{Config, TS};

fn generated() -> String {
    let cfg = Config::default();
    let decls = [
        AppInfo::decl(&cfg),
        ConsoleState::decl(&cfg),
        UnlockAs::decl(&cfg),
        CaseStateDto::decl(&cfg),
        ReopenedDto::decl(&cfg),
        StateKindDto::decl(&cfg),
        OrderDto::decl(&cfg),
        ListQueryDto::decl(&cfg),
        FindDto::decl(&cfg),
        PlaceDto::decl(&cfg),
        SnippetPart::decl(&cfg),
        FoundHitView::decl(&cfg),
        FoundConversationView::decl(&cfg),
        FoundView::decl(&cfg),
        StatusDto::decl(&cfg),
        HandEntryDto::decl(&cfg),
        LocalStampDto::decl(&cfg),
        CaseChangeDto::decl(&cfg),
        CaseProblem::decl(&cfg),
        LabelView::decl(&cfg),
        CatalogueView::decl(&cfg),
        SuggestionView::decl(&cfg),
        EntryView::decl(&cfg),
        HandoverView::decl(&cfg),
        HandoverNoteView::decl(&cfg),
        ConversationRef::decl(&cfg),
        MediaKindDto::decl(&cfg),
        MediaView::decl(&cfg),
        MediaProblem::decl(&cfg),
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
        DifferedDto::decl(&cfg),
        VersionWhy::decl(&cfg),
        VersionView::decl(&cfg),
        ExportOutcome::decl(&cfg),
        InboxView::decl(&cfg),
        ClosingOverview::decl(&cfg),
        SealedDay::decl(&cfg),
        QuarantinedFile::decl(&cfg),
        Stamp::decl(&cfg),
        ClockTime::decl(&cfg),
        DateDto::decl(&cfg),
        Unavailable::decl(&cfg),
        LockReason::decl(&cfg),
        InboxProblem::decl(&cfg),
        ImportProblem::decl(&cfg),
        WarningDto::decl(&cfg),
        DateOrderDto::decl(&cfg),
        LeftBehind::decl(&cfg),
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

/// The TypeScript of one Rust type in a command's signature; `None` for
/// what Tauri hands the command itself (state, the app handle).
fn ts(ty: &syn::Type, imports: &mut BTreeSet<String>) -> Option<String> {
    let path = match ty {
        syn::Type::Path(path) => path,
        syn::Type::Tuple(unit) if unit.elems.is_empty() => return Some("void".into()),
        _ => panic!("a command's argument or result that is not a plain type"),
    };
    let last = path.path.segments.last().unwrap();
    let inner = |imports: &mut BTreeSet<String>| match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .find_map(|a| match a {
                syn::GenericArgument::Type(t) => ts(t, imports),
                _ => None,
            })
            .unwrap(),
        _ => panic!("{} without its type", last.ident),
    };
    Some(match last.ident.to_string().as_str() {
        "State" | "AppHandle" | "Window" | "WebviewWindow" => return None,
        "String" | "SecretString" => "string".into(),
        "u8" | "u16" | "u32" | "u64" | "i32" | "i64" | "usize" | "f64" => "number".into(),
        "bool" => "boolean".into(),
        "Option" => format!("{} | null", inner(imports)),
        "Vec" => format!("{}[]", inner(imports)),
        "Result" => inner(imports),
        "Channel" => format!("Channel<{}>", inner(imports)),
        // A raw response: the bytes as they are.
        "Response" => "ArrayBuffer".into(),
        dto => {
            imports.insert(dto.to_owned());
            dto.to_owned()
        }
    })
}

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The command functions, in the order of `commands.list`.
fn commands() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let source = std::fs::read_to_string(format!("{dir}/src/commands.rs")).unwrap();
    let file = syn::parse_file(&source).unwrap();
    let listed = std::fs::read_to_string(format!("{dir}/commands.list")).unwrap();
    let mut imports = BTreeSet::new();
    let mut functions = Vec::new();
    for name in listed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let item = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Fn(f) if f.sig.ident == name => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name} is listed but has no handler in commands.rs"));
        let docs: Vec<String> = item
            .attrs
            .iter()
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value().trim().to_owned()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let mut params = Vec::new();
        let mut names = Vec::new();
        for input in &item.sig.inputs {
            let syn::FnArg::Typed(arg) = input else {
                continue;
            };
            let syn::Pat::Ident(ident) = &*arg.pat else {
                panic!("{name}: an argument that is not a name");
            };
            if let Some(ty) = ts(&arg.ty, &mut imports) {
                let js = camel(&ident.ident.to_string());
                params.push(format!("{js}: {ty}"));
                names.push(js);
            }
        }
        let output = match &item.sig.output {
            syn::ReturnType::Default => "void".to_owned(),
            syn::ReturnType::Type(_, ty) => ts(ty, &mut imports).unwrap(),
        };
        let args = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        functions.push(format!(
            "/** {} */\nexport const {} = ({}): Promise<{output}> =>\n  invoke(\"{name}\"{args});\n",
            docs.join(" "),
            camel(name),
            params.join(", "),
        ));
    }
    imports.remove("CommandError");
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by src-tauri/tests/bindings.rs; do not edit.\n\
         // The only module that calls invoke. A command fails with a CommandError.\n\
         // Regenerate: UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings\n\
         import { invoke, type Channel } from \"@tauri-apps/api/core\";\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from \"./bindings\";\n",
        imports.into_iter().collect::<Vec<_>>().join(", ")
    ));
    for f in functions {
        out.push('\n');
        out.push_str(&f);
    }
    out
}

#[track_caller]
fn check(file: &str, want: &str) {
    let path = format!("{}/../ui/src/lib/api/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/lib/api/{file} is stale; run UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings"
    );
}

#[test]
fn typescript_bindings_are_current() {
    check("bindings.ts", &generated());
}

#[test]
fn typescript_command_functions_are_current() {
    check("commands.ts", &commands());
}
