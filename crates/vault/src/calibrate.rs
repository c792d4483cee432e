//! Choosing Argon2id's cost at set-up so that an unlock takes about a
//! target time on this laptop: memory first (256 MiB, what an attacker's
//! hardware pays most for), then passes. Never below the floor.

use std::time::{Duration, Instant};

use secrecy::SecretString;

use crate::VaultError;
use crate::keys::KdfParams;

/// The memory calibration aims for, in KiB. A municipal laptop has 8 GiB
/// or more; a quarter of a GiB for one second at unlock is affordable.
const MEMORY_KIB: u32 = 256 * 1024;
const MOST_PASSES: u32 = 64;

/// Parameters for an unlock of about `target`.
pub fn calibrate(target: Duration) -> Result<KdfParams, VaultError> {
    let at = |iterations| KdfParams {
        memory_kib: MEMORY_KIB,
        iterations,
        ..KdfParams::FLOOR
    };
    let floor_passes = KdfParams::FLOOR.iterations;
    let three = time(at(floor_passes))?;
    if three > target {
        // A slow machine: the floor's passes with less memory, never under the floor.
        let share = target.as_secs_f64() / three.as_secs_f64();
        let memory_kib = ((f64::from(MEMORY_KIB) * share) as u32)
            .clamp(KdfParams::FLOOR.memory_kib, MEMORY_KIB)
            & !1023;
        return Ok(KdfParams {
            memory_kib,
            ..KdfParams::FLOOR
        });
    }
    // Time grows with the passes; one estimate, then one correction
    // measured at the estimate (filling memory makes it not quite linear).
    let scale = |passes: u32, took: Duration| {
        let estimate = f64::from(passes) * target.as_secs_f64() / took.as_secs_f64();
        (estimate.round() as u32).clamp(floor_passes, MOST_PASSES)
    };
    let guess = scale(floor_passes, three);
    if guess == floor_passes {
        return Ok(at(floor_passes));
    }
    Ok(at(scale(guess, time(at(guess))?)))
}

/// How long one key derivation with `params` takes here.
pub fn time(params: KdfParams) -> Result<Duration, VaultError> {
    let passphrase = SecretString::from("calibration".to_owned());
    let started = Instant::now();
    params.derive(&passphrase, &[0u8; 16])?;
    Ok(started.elapsed())
}
