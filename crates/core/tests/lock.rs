//! The lock's state machine, driven by a clock the test moves: shifts,
//! weekends, exception days, idle and suspend, clock jumps both ways and
//! daylight saving time, each as a script with its expected log; then
//! random event sequences against the invariants.

use expect_test::{Expect, expect};
use kluis_core::LocalDate;
use kluis_core::lock::{Effect, Event, Lock, Now, Policy, Role, Shifts, State, Why};
use proptest::prelude::*;

const CET: i32 = 3600;
const CEST: i32 = 7200;

fn policy() -> Policy {
    Policy::with_shifts(
        Shifts::parse(
            "ma-vr 08:00-17:00, za 09:00-12:00",
            "2026-12-25 dicht, 2026-12-24 08:00-13:00",
        )
        .unwrap(),
    )
}

/// The clock as the laptop shows it: `YYYY-MM-DD HH:MM` local, at `offset`.
fn clock(local: &str, offset: i32) -> Now {
    let (date, time) = local.split_once(' ').unwrap();
    let (h, m) = time.split_once(':').unwrap();
    let local = LocalDate::parse(date)
        .unwrap()
        .at(h.parse().unwrap(), m.parse().unwrap(), 0)
        .unwrap();
    Now {
        utc: local.local_seconds() - i64::from(offset),
        offset,
    }
}

fn describe(effect: &Effect) -> String {
    match effect {
        Effect::Transition { to, why, .. } => {
            let why = match why {
                Why::InShift => "in shift".to_owned(),
                Why::Override {
                    reason,
                    day_closed: false,
                } => format!("override: {reason}"),
                Why::Override {
                    reason,
                    day_closed: true,
                } => format!("override after closing: {reason}"),
                Why::Idle => "idle".into(),
                Why::OsLocked => "OS locked".into(),
                Why::Suspend => "suspend".into(),
                Why::ByHand => "by hand".into(),
                Why::ClosingStarted => "closing started".into(),
                Why::Sealed => "sealed".into(),
                Why::EndOfDay => "end of day".into(),
                Why::NewDay => "new day".into(),
            };
            format!("-> {to} ({why})")
        }
        Effect::Refused(refusal) => format!("refused: {refusal:?}"),
        Effect::Warn { closing_at } => format!("warn: closing at {closing_at}"),
        Effect::ClockSetBack { by_seconds } => {
            format!("clock set back {} min", by_seconds / 60)
        }
    }
}

fn event_name(event: &Event) -> String {
    match event {
        Event::Unlock { role, reason } => match reason {
            Some(r) => format!("unlock {role:?} \"{r}\""),
            None => format!("unlock {role:?}"),
        },
        other => format!("{other:?}"),
    }
}

/// Runs `steps` (the clock's local reading, its offset, the event) from a
/// fresh lock and checks the log.
fn check(steps: &[(&str, i32, Event)], expect: Expect) {
    let first = clock(steps[0].0, steps[0].1);
    let mut lock = Lock::new(policy(), first.utc, None);
    let mut log = String::new();
    for (at, offset, event) in steps {
        let effects = lock.handle(clock(at, *offset), event.clone());
        let said: Vec<String> = effects.iter().map(describe).collect();
        log.push_str(&format!(
            "{at} {:<22} {}\n",
            event_name(event),
            if said.is_empty() {
                "-".to_owned()
            } else {
                said.join("; ")
            }
        ));
    }
    expect.assert_eq(&log);
}

fn unlock(role: Role) -> Event {
    Event::Unlock { role, reason: None }
}

fn unlock_with(role: Role, reason: &str) -> Event {
    Event::Unlock {
        role,
        reason: Some(reason.into()),
    }
}

#[test]
fn a_working_day() {
    check(
        &[
            ("2026-11-23 07:59", CET, unlock(Role::Operator)),
            ("2026-11-23 08:00", CET, unlock(Role::Operator)),
            ("2026-11-23 08:05", CET, Event::Input),
            ("2026-11-23 08:14", CET, Event::Tick),
            ("2026-11-23 08:15", CET, Event::Tick),
            ("2026-11-23 08:20", CET, unlock(Role::Operator)),
            ("2026-11-23 08:29", CET, Event::Input),
            ("2026-11-23 08:30", CET, Event::Lock),
            ("2026-11-23 16:35", CET, unlock(Role::Operator)),
            ("2026-11-23 16:40", CET, Event::Input),
            ("2026-11-23 16:45", CET, Event::Tick),
            ("2026-11-23 16:46", CET, Event::Tick),
            ("2026-11-23 16:47", CET, Event::StartClosing),
            ("2026-11-23 16:48", CET, Event::Input),
            ("2026-11-23 16:55", CET, Event::Sealed),
            ("2026-11-23 16:56", CET, unlock(Role::Operator)),
            ("2026-11-23 16:57", CET, unlock_with(Role::Admin, "storing")),
            // The admin's override ends where it began: the day closed.
            ("2026-11-23 16:58", CET, Event::Lock),
            ("2026-11-23 16:59", CET, unlock(Role::Operator)),
            ("2026-11-23 16:59", CET, unlock(Role::Admin)),
            ("2026-11-24 07:00", CET, Event::Tick),
            ("2026-11-24 08:00", CET, unlock(Role::Operator)),
        ],
        expect![[r#"
            2026-11-23 07:59 unlock Operator        refused: OutsideShift
            2026-11-23 08:00 unlock Operator        -> unlocked (in shift)
            2026-11-23 08:05 Input                  -
            2026-11-23 08:14 Tick                   -
            2026-11-23 08:15 Tick                   -> locked (idle)
            2026-11-23 08:20 unlock Operator        -> unlocked (in shift)
            2026-11-23 08:29 Input                  -
            2026-11-23 08:30 Lock                   -> locked (by hand)
            2026-11-23 16:35 unlock Operator        -> unlocked (in shift)
            2026-11-23 16:40 Input                  -
            2026-11-23 16:45 Tick                   warn: closing at 2026-11-23T17:00:00
            2026-11-23 16:46 Tick                   -
            2026-11-23 16:47 StartClosing           -> closing (closing started)
            2026-11-23 16:48 Input                  -
            2026-11-23 16:55 Sealed                 -> day closed (sealed)
            2026-11-23 16:56 unlock Operator        refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 23 } }
            2026-11-23 16:57 unlock Admin "storing" -> unlocked (override after closing: storing)
            2026-11-23 16:58 Lock                   -> day closed (by hand)
            2026-11-23 16:59 unlock Operator        refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 23 } }
            2026-11-23 16:59 unlock Admin           refused: ReasonNeeded
            2026-11-24 07:00 Tick                   -> locked (new day)
            2026-11-24 08:00 unlock Operator        -> unlocked (in shift)
        "#]],
    );
}

#[test]
fn the_end_of_the_day_comes_whatever_the_employee_does() {
    check(
        &[
            ("2026-11-23 16:40", CET, unlock(Role::Operator)),
            ("2026-11-23 16:44", CET, Event::Input),
            ("2026-11-23 16:45", CET, Event::Input),
            ("2026-11-23 16:54", CET, Event::Input),
            ("2026-11-23 17:00", CET, Event::Input),
            ("2026-11-23 17:09", CET, Event::Input),
            ("2026-11-23 17:14", CET, Event::Input),
            ("2026-11-23 17:15", CET, Event::Input),
            ("2026-11-23 17:16", CET, unlock(Role::Operator)),
            // Locked all afternoon, the day closes all the same.
            ("2026-11-24 16:00", CET, Event::Tick),
            ("2026-11-24 17:15", CET, Event::Tick),
            ("2026-11-24 17:16", CET, unlock_with(Role::Admin, "storing")),
        ],
        expect![[r#"
            2026-11-23 16:40 unlock Operator        -> unlocked (in shift)
            2026-11-23 16:44 Input                  -
            2026-11-23 16:45 Input                  warn: closing at 2026-11-23T17:00:00
            2026-11-23 16:54 Input                  -
            2026-11-23 17:00 Input                  -
            2026-11-23 17:09 Input                  -
            2026-11-23 17:14 Input                  -
            2026-11-23 17:15 Input                  -> day closed (end of day)
            2026-11-23 17:16 unlock Operator        refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 23 } }
            2026-11-24 16:00 Tick                   -> locked (new day)
            2026-11-24 17:15 Tick                   -> day closed (end of day)
            2026-11-24 17:16 unlock Admin "storing" -> unlocked (override after closing: storing)
        "#]],
    );
}

#[test]
fn weekends_and_exception_days_open_only_with_a_reason() {
    check(
        &[
            ("2026-11-28 11:00", CET, unlock(Role::Operator)),
            ("2026-11-28 11:05", CET, Event::Lock),
            ("2026-11-28 12:30", CET, unlock(Role::Operator)),
            ("2026-11-29 10:00", CET, unlock(Role::Operator)),
            ("2026-11-29 10:00", CET, unlock(Role::Admin)),
            ("2026-11-29 10:00", CET, unlock_with(Role::Admin, "  ")),
            (
                "2026-11-29 10:01",
                CET,
                unlock_with(Role::Recovery, "vergeten wachtwoord"),
            ),
            ("2026-11-29 10:11", CET, Event::Tick),
            ("2026-12-24 12:59", CET, unlock(Role::Operator)),
            ("2026-12-24 13:08", CET, Event::Input),
            ("2026-12-24 13:15", CET, Event::Input),
            ("2026-12-25 10:00", CET, unlock(Role::Operator)),
        ],
        expect![[r#"
            2026-11-28 11:00 unlock Operator        -> unlocked (in shift)
            2026-11-28 11:05 Lock                   -> locked (by hand)
            2026-11-28 12:30 unlock Operator        -> day closed (end of day); refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 28 } }
            2026-11-29 10:00 unlock Operator        -> locked (new day); refused: OutsideShift
            2026-11-29 10:00 unlock Admin           refused: ReasonNeeded
            2026-11-29 10:00 unlock Admin "  "      refused: ReasonNeeded
            2026-11-29 10:01 unlock Recovery "vergeten wachtwoord" -> unlocked (override: vergeten wachtwoord)
            2026-11-29 10:11 Tick                   -> locked (idle)
            2026-12-24 12:59 unlock Operator        -> unlocked (in shift)
            2026-12-24 13:08 Input                  warn: closing at 2026-12-24T13:00:00
            2026-12-24 13:15 Input                  -> day closed (end of day)
            2026-12-25 10:00 unlock Operator        -> locked (new day); refused: OutsideShift
        "#]],
    );
}

#[test]
fn a_suspend_locks_and_counts_as_idle() {
    check(
        &[
            ("2026-11-23 09:00", CET, unlock(Role::Operator)),
            ("2026-11-23 09:01", CET, Event::Suspend),
            ("2026-11-23 09:30", CET, unlock(Role::Operator)),
            // The lid closed without a signal: the first tick after waking.
            ("2026-11-23 10:45", CET, Event::Tick),
            ("2026-11-23 10:46", CET, unlock(Role::Operator)),
            ("2026-11-23 10:47", CET, Event::OsLocked),
        ],
        expect![[r#"
            2026-11-23 09:00 unlock Operator        -> unlocked (in shift)
            2026-11-23 09:01 Suspend                -> locked (suspend)
            2026-11-23 09:30 unlock Operator        -> unlocked (in shift)
            2026-11-23 10:45 Tick                   -> locked (idle)
            2026-11-23 10:46 unlock Operator        -> unlocked (in shift)
            2026-11-23 10:47 OsLocked               -> locked (OS locked)
        "#]],
    );
}

#[test]
fn a_clock_set_back_reopens_nothing_and_lengthens_nothing() {
    check(
        &[
            // Closed at 17:15; the clock is set back to the afternoon.
            ("2026-11-23 16:55", CET, unlock(Role::Operator)),
            ("2026-11-23 16:59", CET, Event::Input),
            ("2026-11-23 17:08", CET, Event::Input),
            ("2026-11-23 17:15", CET, Event::Tick),
            ("2026-11-23 14:00", CET, unlock(Role::Operator)),
            ("2026-11-22 14:00", CET, unlock(Role::Operator)),
            // Set back during the shift: the clock runs on from where it was,
            // so closing time comes as it would have.
            ("2026-11-24 16:50", CET, unlock(Role::Operator)),
            ("2026-11-24 12:00", CET, Event::Input),
            ("2026-11-24 12:08", CET, Event::Input),
            ("2026-11-24 12:16", CET, Event::Input),
            ("2026-11-24 12:24", CET, Event::Input),
            ("2026-11-24 12:25", CET, Event::Input),
            // Set forward: the rules follow (nothing gained by it).
            ("2026-11-25 08:00", CET, unlock(Role::Operator)),
            ("2026-11-25 18:00", CET, Event::Tick),
        ],
        expect![[r#"
            2026-11-23 16:55 unlock Operator        -> unlocked (in shift)
            2026-11-23 16:59 Input                  warn: closing at 2026-11-23T17:00:00
            2026-11-23 17:08 Input                  -
            2026-11-23 17:15 Tick                   -> day closed (end of day)
            2026-11-23 14:00 unlock Operator        clock set back 195 min; refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 23 } }
            2026-11-22 14:00 unlock Operator        clock set back 1635 min; refused: DayClosed { day: LocalDate { year: 2026, month: 11, day: 23 } }
            2026-11-24 16:50 unlock Operator        -> locked (new day); -> unlocked (in shift)
            2026-11-24 12:00 Input                  clock set back 290 min; warn: closing at 2026-11-24T17:00:00
            2026-11-24 12:08 Input                  -
            2026-11-24 12:16 Input                  -
            2026-11-24 12:24 Input                  -
            2026-11-24 12:25 Input                  -> day closed (end of day)
            2026-11-25 08:00 unlock Operator        -> locked (new day); -> unlocked (in shift)
            2026-11-25 18:00 Tick                   -> locked (idle); -> day closed (end of day)
        "#]],
    );
}

#[test]
fn daylight_saving_time_moves_the_shift_with_the_wall_clock() {
    check(
        &[
            // Sunday 29 March 2026, 02:00 CET becomes 03:00 CEST. An override
            // at 01:55 CET is 6 minutes old at 03:01 CEST: not idle.
            ("2026-03-29 01:55", CET, unlock_with(Role::Admin, "back-up")),
            ("2026-03-29 03:01", CEST, Event::Tick),
            ("2026-03-29 03:06", CEST, Event::Tick),
            // Monday: the shift starts at 08:00 on the clock, now CEST.
            ("2026-03-30 07:59", CEST, unlock(Role::Operator)),
            ("2026-03-30 08:00", CEST, unlock(Role::Operator)),
            ("2026-03-30 08:09", CEST, Event::Lock),
            // Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET: an hour
            // repeats on the wall clock (not a clock set back), not in the
            // idle count.
            (
                "2026-10-25 02:55",
                CEST,
                unlock_with(Role::Admin, "back-up"),
            ),
            ("2026-10-25 02:04", CET, Event::Tick),
            ("2026-10-25 02:05", CET, Event::Tick),
        ],
        expect![[r#"
            2026-03-29 01:55 unlock Admin "back-up" -> unlocked (override: back-up)
            2026-03-29 03:01 Tick                   -
            2026-03-29 03:06 Tick                   -> locked (idle)
            2026-03-30 07:59 unlock Operator        refused: OutsideShift
            2026-03-30 08:00 unlock Operator        -> unlocked (in shift)
            2026-03-30 08:09 Lock                   -> locked (by hand)
            2026-10-25 02:55 unlock Admin "back-up" -> unlocked (override: back-up)
            2026-10-25 02:04 Tick                   -
            2026-10-25 02:05 Tick                   -> locked (idle)
        "#]],
    );
}

// Random event sequences: the invariants hold whatever happens.

fn any_event() -> impl Strategy<Value = Event> {
    let role = prop_oneof![
        Just(Role::Operator),
        Just(Role::Admin),
        Just(Role::Recovery)
    ];
    let reason = prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("storing".to_owned()))
    ];
    prop_oneof![
        4 => Just(Event::Tick),
        4 => Just(Event::Input),
        4 => (role, reason).prop_map(|(role, reason)| Event::Unlock { role, reason }),
        1 => Just(Event::Lock),
        1 => Just(Event::OsLocked),
        1 => Just(Event::Suspend),
        1 => Just(Event::StartClosing),
        1 => Just(Event::Sealed),
    ]
}

/// A step of the clock: mostly forward by up to two hours, sometimes a
/// jump back by up to two days, and the offset of either season.
fn any_step() -> impl Strategy<Value = (i64, i32, Event)> {
    let delta = prop_oneof![
        8 => 0i64..7200,
        1 => -172_800i64..0,
        1 => 0i64..172_800,
    ];
    (delta, prop_oneof![Just(CET), Just(CEST)], any_event())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_invariants_hold_for_any_sequence(
        start in 0i64..(14 * 86_400),
        steps in prop::collection::vec(any_step(), 1..120),
    ) {
        let policy = policy();
        // From Monday 2026-11-23 00:00 UTC plus up to two weeks.
        let mut utc = clock("2026-11-23 00:00", 0).utc + start;
        let mut lock = Lock::new(policy.clone(), utc, None);
        let mut highest_closed: Option<LocalDate> = None;
        let mut seen = lock.seen();
        for (delta, offset, event) in steps {
            utc += delta;
            let before = lock.state().clone();
            let effects = lock.handle(Now { utc, offset }, event.clone());
            let after = lock.state().clone();
            let local = lock.local();

            // Every transition is logged, and they chain from the old state
            // to the new one.
            let mut name = before.name();
            for effect in &effects {
                if let Effect::Transition { from, to, why } = effect {
                    prop_assert_eq!(*from, name);
                    name = to;
                    if *to == "unlocked" && *from != "closing" {
                        match why {
                            Why::InShift => prop_assert!(policy.shifts.inside(local)),
                            Why::Override { reason, .. } => {
                                prop_assert!(!reason.trim().is_empty());
                                let by_operator =
                                    matches!(event, Event::Unlock { role: Role::Operator, .. });
                                prop_assert!(!by_operator, "an operator overrode the shift");
                            }
                            other => prop_assert!(false, "unlocked because {other:?}"),
                        }
                    }
                }
            }
            prop_assert_eq!(name, after.name(), "a state change without its entry");

            // Time never goes back, nor does the closed day.
            prop_assert!(lock.seen() >= seen);
            seen = lock.seen();
            if let Some(h) = highest_closed {
                prop_assert!(lock.closed_day().is_some_and(|d| d >= h));
            }
            highest_closed = lock.closed_day();

            // Open without an override means: not on a closed day, only on
            // the day it was opened and before the hard lock. An override
            // (never an operator's, checked above) may open a closed day.
            if let State::Unlocked { overridden, day, .. } | State::Closing { overridden, day, .. } =
                &after
                && !overridden
            {
                prop_assert!(lock.closed_day().is_none_or(|d| d < local.date()));
                prop_assert_eq!(*day, local.date());
                prop_assert!(!lock.is_past_closing(local));
            }
            // However it was opened, a closed day is closed again once it locks.
            if !after.is_open()
                && let Some(closed) = lock.closed_day()
                && closed >= local.date()
            {
                prop_assert_eq!(&after, &State::DayClosed { day: closed });
            }
        }
    }
}
