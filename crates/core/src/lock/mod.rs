//! The lock: shift hours, the idle lock, the end of the day, and a clock
//! that cannot be set back to cheat them. Pure: the shell feeds events with
//! clock readings and carries out the effects.

pub mod audit;
pub mod clock;
pub mod machine;
pub mod persist;
pub mod shifts;

pub use clock::{Clock, Now, Reading, Watermark};
pub use machine::{Access, Effect, Event, Lock, Policy, Refusal, Role, State, Why};
pub use shifts::{Shift, ShiftError, Shifts};
