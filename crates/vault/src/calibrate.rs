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
    // Two timings separate the fixed cost (filling memory) from a pass.
    let one = time(at(1))?;
    let two = time(at(2))?;
    let pass = two.saturating_sub(one).max(Duration::from_millis(1));
    let fixed = one.saturating_sub(pass);
    let passes = (target.saturating_sub(fixed).as_secs_f64() / pass.as_secs_f64()).round();
    if passes >= f64::from(KdfParams::FLOOR.iterations) {
        return Ok(at((passes as u32).min(MOST_PASSES)));
    }
    // A slow machine: the floor's passes, less memory, never under the floor.
    let three = fixed + pass * 3;
    let share = target.as_secs_f64() / three.as_secs_f64();
    let memory_kib = ((f64::from(MEMORY_KIB) * share) as u32)
        .clamp(KdfParams::FLOOR.memory_kib, MEMORY_KIB)
        & !1023;
    Ok(KdfParams {
        memory_kib,
        ..KdfParams::FLOOR
    })
}

/// How long one key derivation with `params` takes here.
pub fn time(params: KdfParams) -> Result<Duration, VaultError> {
    let passphrase = SecretString::from("calibration".to_owned());
    let started = Instant::now();
    params.derive(&passphrase, &[0u8; 16])?;
    Ok(started.elapsed())
}
