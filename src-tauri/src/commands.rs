//! The app's commands: each one adapts a core call to the webview.
//!
//! Every command must also be named in `src-tauri/commands.list` and granted
//! in `capabilities/main-window.json`; `tests/capabilities.rs` checks that.
//! Logging here follows the rule in [`crate::logging`]: names and counts only.

use kluis_core::ConversationId;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::dto::{AppInfo, ConversationSummary, ConversationView};
use crate::state::AppState;

/// An error a command returns to the webview. Its message is shown to the
/// operator as is, so it must never contain citizen data either.
#[derive(Debug, thiserror::Error, Serialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "camelCase")]
pub enum CommandError {
    /// The conversation does not exist (any more).
    #[error("gesprek {0} bestaat niet")]
    ConversationNotFound(u32),
}

/// About the running app.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    tracing::debug!(command = "app_info");
    AppInfo::new(&state)
}

/// The conversation list, filtered by `query` (empty: all), most recent first.
#[tauri::command]
pub fn list_conversations(state: State<'_, AppState>, query: String) -> Vec<ConversationSummary> {
    let found: Vec<ConversationSummary> = state
        .conversations
        .search(&query)
        .into_iter()
        .map(ConversationSummary::from)
        .collect();
    tracing::debug!(
        command = "list_conversations",
        query_chars = query.chars().count(),
        results = found.len()
    );
    found
}

/// One conversation with all its messages.
#[tauri::command]
pub fn open_conversation(
    state: State<'_, AppState>,
    id: u32,
) -> Result<ConversationView, CommandError> {
    let result = state
        .conversations
        .get(ConversationId(id))
        .map(ConversationView::from)
        .ok_or(CommandError::ConversationNotFound(id));
    tracing::debug!(command = "open_conversation", id, found = result.is_ok());
    result
}
