//! The lock as a state machine: it knows nothing of windows or D-Bus. The
//! shell feeds it events with a clock reading and carries out its effects
//! (wipe the keys, write the audit entry, show the warning).
//!
//! ```text
//!            unlock (in shift; or admin/recovery key with a reason)
//!   Locked ─────────────────────────────────────────────▶ Unlocked
//!     ▲  ◀── idle, OS lock, suspend, by hand ───────────┘   │ start closing
//!     │                                                     ▼
//!     │  the next day                                    Closing
//!     │                                                     │ sealed, or
//!   DayClosed ◀─────────────────────────────────────────────┘ closing time + grace
//! ```

use super::clock::{Now, Watermark};
use super::shifts::Shifts;
use crate::time::{LocalDate, LocalDateTime};

/// What IT sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub shifts: Shifts,
    /// Minutes without input before the lock (wall-clock: a suspend counts).
    pub idle_minutes: u32,
    /// Minutes before closing time that the warning comes.
    pub warn_minutes: u32,
    /// Minutes after closing time before the hard lock closes the day.
    pub grace_minutes: u32,
}

impl Policy {
    pub const DEFAULT_IDLE_MINUTES: u32 = 10;
    pub const DEFAULT_WARN_MINUTES: u32 = 15;
    pub const DEFAULT_GRACE_MINUTES: u32 = 15;

    /// The defaults with these shifts.
    pub fn with_shifts(shifts: Shifts) -> Self {
        Self {
            shifts,
            idle_minutes: Self::DEFAULT_IDLE_MINUTES,
            warn_minutes: Self::DEFAULT_WARN_MINUTES,
            grace_minutes: Self::DEFAULT_GRACE_MINUTES,
        }
    }
}

/// Whose key opened the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Operator,
    Admin,
    Recovery,
}

/// Where the lock stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// No key in memory.
    Locked,
    /// Open. `overridden`: outside the shift, by the admin or recovery key.
    Unlocked {
        role: Role,
        overridden: bool,
        /// The local date it was unlocked on: the session ends with it.
        day: LocalDate,
        last_input: i64,
        warned: bool,
    },
    /// The closing procedure runs (import the last chats, check open
    /// cases, seal the day); still open until sealed or the hard lock.
    Closing {
        role: Role,
        overridden: bool,
        day: LocalDate,
        last_input: i64,
    },
    /// Today is closed: nobody unlocks until the next day.
    DayClosed { day: LocalDate },
}

impl State {
    /// The state's name, for the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Locked => "locked",
            Self::Unlocked { .. } => "unlocked",
            Self::Closing { .. } => "closing",
            Self::DayClosed { .. } => "day closed",
        }
    }

    /// Whether the data key may be in memory.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Unlocked { .. } | Self::Closing { .. })
    }
}

/// What the shell tells the lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Time passes (the shell ticks every few seconds, and after a resume).
    Tick,
    /// The operator typed, clicked or scrolled in Kluis.
    Input,
    /// A passphrase (or the recovery key) opened this role's slot; the lock
    /// decides whether that is allowed now. `reason`: why the admin or
    /// recovery key opens outside the shift.
    Unlock { role: Role, reason: Option<String> },
    /// The operator locks by hand.
    Lock,
    /// The desktop session was locked (the screen locker).
    OsLocked,
    /// The laptop goes to sleep.
    Suspend,
    /// The operator starts the closing procedure.
    StartClosing,
    /// The day's package is sealed: the day is closed.
    Sealed,
}

/// Why a transition happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// Unlocked inside the shift.
    InShift,
    /// Unlocked outside the shift, or after the day's closing, with the
    /// admin or recovery key. The closed day stays closed for operators.
    Override {
        reason: String,
        /// The day was already closed.
        day_closed: bool,
    },
    Idle,
    OsLocked,
    Suspend,
    ByHand,
    /// The operator started the closing procedure.
    ClosingStarted,
    /// The package was sealed.
    Sealed,
    /// Closing time plus the grace period passed.
    EndOfDay,
    /// A new day began after a closed one.
    NewDay,
}

/// How an unlock would be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    InShift,
    /// Outside the shift: only with a reason, which is logged.
    WithReason,
}

/// Why an unlock is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Today's work is closed.
    DayClosed { day: LocalDate },
    /// Outside the shift; only the admin or recovery key opens, with a reason.
    OutsideShift,
    /// The admin or recovery key outside the shift must give a reason.
    ReasonNeeded,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::DayClosed { day } => write!(f, "the day {day} is closed"),
            Refusal::OutsideShift => f.write_str("outside the shift hours"),
            Refusal::ReasonNeeded => {
                f.write_str("outside the shift hours or after the closing, no reason given")
            }
        }
    }
}

/// What the shell must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The state changed: write it to the audit log; if `to` is not open,
    /// wipe the keys and empty the page.
    Transition {
        from: &'static str,
        to: &'static str,
        why: Why,
    },
    /// The unlock is not allowed: lock the session that was just opened.
    Refused(Refusal),
    /// Closing time comes at `closing_at`: say so.
    Warn { closing_at: LocalDateTime },
    /// The clock reads this many seconds before the latest time seen: log
    /// it and show it. Time as the rules see it does not go back.
    ClockSetBack { by_seconds: i64 },
}

/// The lock, with what it must remember across restarts: the latest time
/// seen and the last closed day (the shell keeps both in the vault).
#[derive(Clone, Debug)]
pub struct Lock {
    policy: Policy,
    state: State,
    watermark: Watermark,
    closed_day: Option<LocalDate>,
    /// The time the rules used for the latest event.
    effective: Now,
    /// The local time the rules used, in local seconds: it never goes back
    /// either. When the offset shrinks (the autumn's repeated hour, a time
    /// zone changed by hand) it waits for the wall clock to catch up, so a
    /// day or a shift can only end early, never late.
    local_floor: i64,
}

impl Lock {
    /// Starts locked, or with the last closed day closed (the first event
    /// after it begins a new day).
    pub fn new(policy: Policy, seen: i64, closed_day: Option<LocalDate>) -> Self {
        Self {
            policy,
            state: closed_day.map_or(State::Locked, |day| State::DayClosed { day }),
            watermark: Watermark::new(seen),
            closed_day,
            effective: Now {
                utc: seen,
                offset: 0,
            },
            local_floor: i64::MIN,
        }
    }

    /// Takes the policy and memory the store holds, after an unlock: the
    /// notes outside it may be stale or edited. Memory only moves forward.
    pub fn adopt(&mut self, policy: Policy, seen: Option<i64>, closed_day: Option<LocalDate>) {
        self.policy = policy;
        if let Some(seen) = seen {
            self.watermark.raise(seen);
        }
        self.closed_day = self.closed_day.max(closed_day);
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The latest time seen (to keep across restarts).
    pub fn seen(&self) -> i64 {
        self.watermark.seen()
    }

    /// Today's closing time, once the warning before it was given (so a
    /// page loaded after the warning still shows it).
    pub fn closing_soon(&self) -> Option<LocalDateTime> {
        match &self.state {
            State::Unlocked {
                warned: true,
                overridden: false,
                ..
            }
            | State::Closing {
                overridden: false, ..
            } => self.closing_at(self.local().date()),
            _ => None,
        }
    }

    /// The time the rules used for the latest event (never before the
    /// latest time seen).
    pub fn effective(&self) -> Now {
        self.effective
    }

    /// The time the rules would use for a reading `now`, without taking it
    /// (never before the latest time seen).
    pub fn time_for(&self, now: Now) -> Now {
        let mut watermark = self.watermark;
        watermark.observe(now).effective
    }

    /// The local time the rules used for the latest event.
    pub fn local(&self) -> LocalDateTime {
        self.local_of(self.effective)
    }

    fn local_of(&self, effective: Now) -> LocalDateTime {
        let wall = effective.utc + i64::from(effective.offset);
        LocalDateTime::from_local_seconds(wall.max(self.local_floor))
    }

    /// Whether the session open now stays open at `now` by the day's rules
    /// alone (its day, the closing time and grace), as if the operator had
    /// just typed: what long work asks before it commits, since work under
    /// way is not idleness.
    pub fn stays_open_by_the_day(&self, now: Now) -> bool {
        let mut probe = self.clone();
        if let State::Unlocked { last_input, .. } | State::Closing { last_input, .. } =
            &mut probe.state
        {
            *last_input = i64::MAX / 2;
        }
        probe.handle(now, Event::Tick);
        probe.state.is_open()
    }

    /// Whether closing time plus the grace period has passed at `local`.
    pub fn is_past_closing(&self, local: LocalDateTime) -> bool {
        self.past_hard_lock(local)
    }

    /// The latest closed day (to keep across restarts).
    pub fn closed_day(&self) -> Option<LocalDate> {
        self.closed_day
    }

    /// Whether `role` may unlock at `now`, asked before the passphrase is
    /// typed (for the lock screen); [`Event::Unlock`] decides.
    pub fn may_unlock(&self, now: Now, role: Role) -> Result<Access, Refusal> {
        let mut watermark = self.watermark;
        let local = self.local_of(watermark.observe(now).effective);
        match self.allows(local, role, None) {
            Ok(_) => Ok(Access::InShift),
            Err(Refusal::ReasonNeeded) => Ok(Access::WithReason),
            Err(refusal) => Err(refusal),
        }
    }

    /// Handles one event at `now` and says what the shell must do.
    pub fn handle(&mut self, now: Now, event: Event) -> Vec<Effect> {
        let mut effects = Vec::new();
        let reading = self.watermark.observe(now);
        if let Some(by_seconds) = reading.set_back_by {
            effects.push(Effect::ClockSetBack { by_seconds });
        }
        self.effective = reading.effective;
        let t = reading.effective.utc;
        let local = self.local_of(reading.effective);
        self.local_floor = local.local_seconds();

        // Time first: what the clock alone decides comes before the event.
        self.on_time(t, local, &mut effects);

        let open = self.state.is_open();
        match event {
            Event::Tick => {}
            Event::Input => {
                if let State::Unlocked { last_input, .. } | State::Closing { last_input, .. } =
                    &mut self.state
                {
                    *last_input = (*last_input).max(t);
                }
            }
            Event::Unlock { role, reason } => match &self.state {
                State::Locked | State::DayClosed { .. } => {
                    match self.allows(local, role, reason.as_deref()) {
                        Ok(why) => {
                            let overridden = matches!(why, Why::Override { .. });
                            let unlocked = State::Unlocked {
                                role,
                                overridden,
                                day: local.date(),
                                last_input: t,
                                warned: false,
                            };
                            self.go(unlocked, why, &mut effects);
                        }
                        Err(refusal) => effects.push(Effect::Refused(refusal)),
                    }
                }
                // Already open: nothing to decide.
                State::Unlocked { .. } | State::Closing { .. } => {}
            },
            Event::Lock if open => self.go(State::Locked, Why::ByHand, &mut effects),
            Event::OsLocked if open => self.go(State::Locked, Why::OsLocked, &mut effects),
            Event::Suspend if open => self.go(State::Locked, Why::Suspend, &mut effects),
            Event::StartClosing => {
                if let State::Unlocked {
                    role,
                    overridden,
                    day,
                    last_input,
                    ..
                } = self.state
                {
                    let closing = State::Closing {
                        role,
                        overridden,
                        day,
                        last_input,
                    };
                    self.go(closing, Why::ClosingStarted, &mut effects);
                }
            }
            Event::Sealed if open => self.close_day(local.date(), Why::Sealed, &mut effects),
            Event::Lock | Event::OsLocked | Event::Suspend | Event::Sealed => {}
        }
        effects
    }

    /// The rules the clock alone triggers: a new day after a closed one,
    /// the idle lock, the warning and the hard lock at the end of the day.
    fn on_time(&mut self, t: i64, local: LocalDateTime, effects: &mut Vec<Effect>) {
        let today = local.date();
        if let State::DayClosed { day } = self.state
            && today > day
        {
            self.go(State::Locked, Why::NewDay, effects);
        }
        let (overridden, day, last_input) = match &self.state {
            State::Unlocked {
                overridden,
                day,
                last_input,
                ..
            }
            | State::Closing {
                overridden,
                day,
                last_input,
                ..
            } => (*overridden, *day, *last_input),
            State::Locked | State::DayClosed { .. } => {
                // Locked at closing time, the day still closes: nobody
                // reopens it by unlocking late.
                if self.past_hard_lock(local) && self.closed_day.is_none_or(|d| d < today) {
                    self.close_day(today, Why::EndOfDay, effects);
                }
                return;
            }
        };
        // A session ends with its day (a shift until 24:00, a suspend
        // overnight): that day is over, so it is closed.
        if day < today {
            if overridden {
                self.go(State::Locked, Why::NewDay, effects);
            } else {
                self.close_day(day, Why::EndOfDay, effects);
                self.go(State::Locked, Why::NewDay, effects);
            }
            return;
        }
        if t - last_input >= i64::from(self.policy.idle_minutes) * 60 {
            self.go(State::Locked, Why::Idle, effects);
            if self.past_hard_lock(local) && self.closed_day.is_none_or(|d| d < today) {
                self.close_day(today, Why::EndOfDay, effects);
            }
            return;
        }
        // An override outside the shift keeps the day's end rules out of
        // its way (it began after them, or on a day without a shift).
        if overridden {
            return;
        }
        if self.past_hard_lock(local) {
            self.close_day(today, Why::EndOfDay, effects);
            return;
        }
        if let (Some(closing_at), State::Unlocked { warned, .. }) =
            (self.closing_at(today), &mut self.state)
        {
            let warn_from = closing_at
                .minute_of_day()
                .saturating_sub(u16::try_from(self.policy.warn_minutes).unwrap_or(u16::MAX));
            if !*warned && local.minute_of_day() >= warn_from {
                *warned = true;
                effects.push(Effect::Warn { closing_at });
            }
        }
    }

    /// Whether an unlock by `role` at `local` is allowed, and why. A
    /// closed day opens only to the admin or recovery key with a reason,
    /// and stays closed: it is never reopened for operators.
    fn allows(
        &self,
        local: LocalDateTime,
        role: Role,
        reason: Option<&str>,
    ) -> Result<Why, Refusal> {
        let closed = self.closed_day.filter(|day| *day >= local.date());
        if closed.is_none() && self.policy.shifts.inside(local) {
            return Ok(Why::InShift);
        }
        if role == Role::Operator {
            return Err(closed.map_or(Refusal::OutsideShift, |day| Refusal::DayClosed { day }));
        }
        match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(reason) => Ok(Why::Override {
                reason: reason.to_owned(),
                day_closed: closed.is_some(),
            }),
            None => Err(Refusal::ReasonNeeded),
        }
    }

    /// Today's closing time, if today has a shift.
    fn closing_at(&self, today: LocalDate) -> Option<LocalDateTime> {
        let end = self.policy.shifts.on(today)?.end();
        // A shift ending at 24:00 closes at the last second of the day.
        if end >= 24 * 60 {
            return today.at(23, 59, 59);
        }
        today.at((end / 60) as u8, (end % 60) as u8, 0)
    }

    /// Whether closing time plus the grace period has passed today.
    fn past_hard_lock(&self, local: LocalDateTime) -> bool {
        let Some(closing_at) = self.closing_at(local.date()) else {
            return false;
        };
        let hard = u32::from(closing_at.minute_of_day()) + self.policy.grace_minutes;
        u32::from(local.minute_of_day()) >= hard
    }

    fn close_day(&mut self, day: LocalDate, why: Why, effects: &mut Vec<Effect>) {
        self.closed_day = Some(self.closed_day.map_or(day, |d| d.max(day)));
        self.go(State::DayClosed { day }, why, effects);
    }

    fn go(&mut self, to: State, why: Why, effects: &mut Vec<Effect>) {
        // An override on a closed day ends where it began: the day closed.
        let to = match (to, self.closed_day) {
            (State::Locked, Some(day)) if day >= self.local().date() => State::DayClosed { day },
            (to, _) => to,
        };
        let from = std::mem::replace(&mut self.state, to);
        effects.push(Effect::Transition {
            from: from.name(),
            to: self.state.name(),
            why,
        });
    }
}
