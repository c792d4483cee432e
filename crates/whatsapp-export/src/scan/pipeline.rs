//! The same reading on two threads: a spawned one reads and scans, the
//! caller's hands the messages out. Each window's messages travel with the
//! buffer they are in, which comes back empty for reuse, so memory stays
//! bounded by a few buffers and nothing is copied per message.

use std::io::Read;
use std::ops::ControlFlow;
use std::sync::mpsc::{self, Receiver, SyncSender};

use super::{Found, Outcome, Plan, Reader, ScanError, Sink, scan_into};
use crate::RawMessage;

/// Buffers besides the reader's own: one being handed out, one waiting, one spare.
const SPARE_BUFFERS: usize = 3;

/// One window's messages and the buffer they are in.
struct Batch {
    buf: Vec<u8>,
    found: Vec<Found>,
}

/// Reads `input` on a second thread and calls `each` here, in file order.
pub(super) fn read<R: Read + Send>(
    input: R,
    plan: Plan<'_>,
    capacity: usize,
    mut each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<Outcome, ScanError> {
    // One batch waits while one is handed out: the scanner stays a window ahead.
    let (batches, arriving) = mpsc::sync_channel(1);
    let (give_back, returned) = mpsc::channel();
    std::thread::scope(|scope| {
        let scanner = scope.spawn(move || {
            let mut sender = Sender {
                batches,
                returned,
                spares: SPARE_BUFFERS,
                found: Vec::new(),
            };
            scan_into(input, plan, capacity, &mut sender)
        });
        for batch in arriving.iter() {
            let stopped = hand_out(&batch, &mut each).is_break();
            // The scanner may have finished; then the buffer is just dropped.
            let _ = give_back.send(batch);
            if stopped {
                break;
            }
        }
        // A scanner waiting to send or for a buffer sees the channels close.
        drop(arriving);
        drop(give_back);
        scanner
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Calls `each` for every message of `batch`, after one UTF-8 check of the
/// bytes they span.
fn hand_out(
    batch: &Batch,
    each: &mut impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let (Some(first), Some(last)) = (batch.found.first(), batch.found.last()) else {
        return ControlFlow::Continue(());
    };
    let from = first.body.start;
    let text = simdutf8::basic::from_utf8(&batch.buf[from..last.body.end]).ok();
    for found in &batch.found {
        let body = &found.body;
        let body_text = text.and_then(|t| t.get(body.start - from..body.end - from));
        each(found.message(&batch.buf, body_text))?;
    }
    ControlFlow::Continue(())
}

/// The scanning side: collects a window's messages, then sends them with
/// their buffer and goes on in another.
struct Sender {
    batches: SyncSender<Batch>,
    returned: Receiver<Batch>,
    /// Buffers that may still be made before one must come back.
    spares: usize,
    found: Vec<Found>,
}

impl Sender {
    /// An empty batch: one handed back, a new one, or the next to come
    /// back; `None` once the other side has stopped.
    fn spare(&mut self) -> Option<Batch> {
        if let Ok(batch) = self.returned.try_recv() {
            return Some(batch);
        }
        if self.spares > 0 {
            self.spares -= 1;
            return Some(Batch {
                buf: Vec::new(),
                found: Vec::new(),
            });
        }
        self.returned.recv().ok()
    }
}

impl Sink for Sender {
    // The other side checks, so that the work is shared.
    const CHECKS_UTF8: bool = false;

    #[inline]
    fn message(&mut self, _: &[u8], found: Found, _: Option<&str>) -> ControlFlow<()> {
        self.found.push(found);
        ControlFlow::Continue(())
    }

    fn end_window<R: Read>(&mut self, reader: &mut Reader<R>) -> ControlFlow<()> {
        if self.found.is_empty() {
            // Nothing to send: the reader compacts its buffer as usual.
            return ControlFlow::Continue(());
        }
        let Some(Batch { buf, mut found }) = self.spare() else {
            return ControlFlow::Break(());
        };
        found.clear();
        let full = Batch {
            buf: reader.swap_buffer(buf),
            found: std::mem::replace(&mut self.found, found),
        };
        match self.batches.send(full) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }
}
