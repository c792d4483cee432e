//! Kluis use cases, independent of any user interface.
//!
//! For now this is the console's model of conversations and cases, and the
//! generated demo data a newcomer sees on first start. Import, the lock, the
//! closing and the purge grow here as their issues land (see ARCHITECTURE.md).
//!
//! Nothing in this crate reads the clock, the environment or the file system
//! on its own: callers pass in what it needs (today's date, for instance), so
//! every rule here can be tested with a fixed world.

pub mod conversations;
pub mod demo;
pub mod import;
pub mod merge;
pub mod personal;
pub mod time;

pub use conversations::{CaseStatus, Conversation, ConversationId, Conversations, Message, Sender};
pub use personal::Personal;
pub use time::{LocalDate, LocalDateTime};
