//! One read of a file for two checks at once. A package is judged by its
//! outer signature (minisign hashes every byte) and by what it decrypts to;
//! read twice, a medium that returns other bytes the second time (a hostile
//! stick, a file replaced in between) would have the signature vouch for
//! bytes that were never decrypted. Here both see the same bytes as they
//! pass: `origin` reads on the caller's thread, `content` on another.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Chunks in flight between the two readers: enough to keep both busy,
/// little enough that memory stays flat.
const IN_FLIGHT: usize = 16;

/// Runs `origin` over `input` and `content` over the same bytes, and
/// returns both results. `content` sees the end of the data when `origin`
/// is done reading; if `content` stops early, `origin` reads on alone.
pub(crate) fn read_once<I, O, C>(
    input: I,
    origin: impl FnOnce(&mut dyn Read) -> O,
    content: impl FnOnce(Passed) -> C + Send,
) -> (O, C)
where
    I: Read,
    C: Send,
{
    let (send, receive) = sync_channel(IN_FLIGHT);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            content(Passed {
                receive,
                chunk: Vec::new(),
                at: 0,
            })
        });
        let mut tee = Tee {
            inner: input,
            send: Some(send),
        };
        let origin = origin(&mut tee);
        drop(tee);
        let content = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (origin, content)
    })
}

/// Hands each chunk read on to the other reader.
struct Tee<R> {
    inner: R,
    send: Option<SyncSender<Vec<u8>>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0
            && let Some(send) = &self.send
            && send.send(buf[..n].to_vec()).is_err()
        {
            // The other reader is done; this one still needs every byte.
            self.send = None;
        }
        Ok(n)
    }
}

/// The bytes the first reader has read, in order.
pub(crate) struct Passed {
    receive: Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for Passed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.receive.recv() {
                Ok(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::read_once;
    use std::io::Read;

    #[test]
    fn both_readers_see_every_byte_once() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let (first, second) = read_once(
            &data[..],
            |r| {
                let mut all = Vec::new();
                r.read_to_end(&mut all).unwrap();
                all
            },
            |mut r| {
                let mut all = Vec::new();
                r.read_to_end(&mut all).unwrap();
                all
            },
        );
        assert_eq!(first, data);
        assert_eq!(second, data);
    }

    #[test]
    fn a_second_reader_that_stops_early_does_not_stall_the_first() {
        let data = vec![7u8; 4 << 20];
        let (first, second) = read_once(
            &data[..],
            |r| std::io::copy(r, &mut std::io::sink()).unwrap(),
            |mut r| {
                let mut head = [0u8; 10];
                r.read_exact(&mut head).unwrap();
                head
            },
        );
        assert_eq!(first, data.len() as u64);
        assert_eq!(second, [7u8; 10]);
    }
}
