//! The process kept as KeePassXC keeps its own: no core dump, whose file
//! would hold the data key and citizen text in the clear, and (for the
//! processes that hold a vault) not dumpable, so that no other process of
//! the same user can attach a debugger or read its memory. The limit on
//! core dumps is inherited by what the process starts (the window's web
//! processes). Adapters call these first thing.

/// Core dumps off for this process and what it starts. Returns why not, if
/// the system refused.
pub fn no_core_dumps() -> Result<(), String> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    setrlimit(Resource::Core, none).map_err(|e| format!("core dumps stay possible: {e}"))
}

/// Core dumps off, and the process not dumpable (no debugger attaches, its
/// `/proc` memory files are closed to the user's other processes).
pub fn harden() -> Result<(), String> {
    no_core_dumps()?;
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
        .map_err(|e| format!("the process stays dumpable: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hardened_means_no_core_and_not_dumpable() {
        super::harden().unwrap();
        let core = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((core.current, core.maximum), (Some(0), Some(0)));
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
