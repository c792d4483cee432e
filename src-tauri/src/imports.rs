//! Imports as the window sees them: files dropped on it, and the inbox,
//! watched while the vault is open. Both go through `kluis_core::import`;
//! this module only feeds it and tells the page what came of it.

use std::path::PathBuf;

use kluis_core::desk::{DeskError, InboxNews};
use kluis_core::import::inbox::{Inbox, Watch};
use tauri::{AppHandle, DragDropEvent, Manager, Runtime};

use crate::dto::{
    ExportOutcome, ExportResult, ImportBatch, ImportProblem, ImportVia, InboxProblem, PageEvent,
};
use crate::state::AppState;

/// Handles the window's drag-and-drop events: shows that a drop is
/// possible, and imports what is dropped, off the main thread.
pub fn on_drag_drop<R: Runtime>(app: &AppHandle<R>, event: &DragDropEvent) {
    let state = app.state::<AppState>();
    match event {
        DragDropEvent::Enter { .. } => state.send(PageEvent::DropHover { over: true }),
        DragDropEvent::Leave => state.send(PageEvent::DropHover { over: false }),
        DragDropEvent::Drop { paths, .. } => {
            state.send(PageEvent::DropHover { over: false });
            let app = app.clone();
            let paths = paths.clone();
            let spawned = std::thread::Builder::new()
                .name("drop".into())
                .spawn(move || {
                    let state = app.state::<AppState>();
                    let batch = import_dropped(&state, &paths);
                    state.send(PageEvent::Imported(batch));
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "no thread for the drop");
            }
        }
        _ => {}
    }
}

/// Imports the dropped files and folders into the open vault; they stay
/// where they are. Locked or in the demo, nothing is read and each path
/// says why.
pub fn import_dropped(state: &AppState, paths: &[PathBuf]) -> ImportBatch {
    let imported = state.with_desk(|desk| desk.import_paths(paths, |_, _| {}));
    let exports: Vec<ExportResult> = match imported {
        Some(Ok(results)) => results
            .iter()
            .map(|(path, result)| {
                let outcome = match result {
                    Ok(report) => report.into(),
                    Err(e) => e.into(),
                };
                ExportResult::new(path, outcome)
            })
            .collect(),
        other => {
            let problem = match other {
                None => ImportProblem::Demo,
                _ => ImportProblem::NotOpen,
            };
            paths
                .iter()
                .map(|path| {
                    ExportResult::new(
                        path,
                        ExportOutcome::Failed {
                            problem: problem.clone(),
                        },
                    )
                })
                .collect()
        }
    };
    tracing::info!(
        via = "drop",
        paths = paths.len(),
        exports = exports.len(),
        "import done"
    );
    ImportBatch {
        via: ImportVia::Drop,
        exports,
    }
}

/// Watches the inbox on a thread of its own until the session of
/// `generation` ends (a lock, or another unlock). The folders exist when
/// this returns, so a file put there at once is not lost in a race.
pub fn watch_inbox<R: Runtime>(app: AppHandle<R>, generation: u64) {
    let inbox = match prepare_inbox(&app.state::<AppState>()) {
        Ok(Some(inbox)) => inbox,
        Ok(None) => return,
        Err(problem) => {
            tracing::error!("the inbox is not watched");
            app.state::<AppState>()
                .send(PageEvent::InboxProblem { problem });
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("inbox".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            if let Err(problem) = run_inbox(&state, inbox, generation) {
                tracing::error!("the inbox is not watched");
                state.send(PageEvent::InboxProblem { problem });
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "no thread for the inbox");
    }
}

/// The open vault's inbox, its folders made; `None` when nothing is open.
fn prepare_inbox(state: &AppState) -> Result<Option<Inbox>, InboxProblem> {
    let dir = match state.with_desk(|desk| desk.inbox_dir()) {
        None | Some(Err(DeskError::Locked)) => return Ok(None),
        Some(Err(e)) => {
            return Err(InboxProblem::Setting {
                detail: e.to_string(),
            });
        }
        Some(Ok(dir)) => dir,
    };
    let inbox = Inbox::at(&dir);
    inbox.prepare().map_err(|e| InboxProblem::Create {
        dir: inbox.dir().display().to_string(),
        detail: e.to_string(),
    })?;
    Ok(Some(inbox))
}

/// The watcher's loop, run by the desk: a look whenever the inbox changes
/// (and every tick while something settles), each file under the session
/// on its own, until the session of `generation` ends.
pub fn run_inbox(state: &AppState, inbox: Inbox, generation: u64) -> Result<(), InboxProblem> {
    let mut watch = Watch::new(inbox);
    let dir = watch.inbox().dir().to_owned();
    tracing::info!("watching the inbox");
    let mut last_problem: Option<String> = None;
    let watched = state.with_desk(|desk| {
        desk.watch_inbox(&mut watch, generation, |news| match news {
            InboxNews::Outcomes(outcomes) => {
                last_problem = None;
                let exports: Vec<ExportResult> =
                    outcomes.iter().flat_map(ExportResult::from_inbox).collect();
                tracing::info!(via = "inbox", exports = exports.len(), "import done");
                state.send(PageEvent::Imported(ImportBatch {
                    via: ImportVia::Inbox,
                    exports,
                }));
            }
            // The window holds the vault for its lifetime: it locks, and
            // the closing is done in the window itself.
            InboxNews::Lock(notices) | InboxNews::GaveWay(notices) => {
                crate::locking::tell(state, &notices)
            }
            // The folder may come back (a remounted disk): say so once, keep trying.
            InboxNews::Problem(e) => {
                let detail = e.to_string();
                if last_problem.as_ref() != Some(&detail) {
                    tracing::warn!("the inbox cannot be read");
                    state.send(PageEvent::InboxProblem {
                        problem: InboxProblem::Read {
                            detail: detail.clone(),
                        },
                    });
                    last_problem = Some(detail);
                }
            }
        })
    });
    match watched {
        None | Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(InboxProblem::Watch {
            dir: dir.display().to_string(),
            detail: e.to_string(),
        }),
    }
}
