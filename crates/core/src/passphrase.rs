//! The rule for a passphrase being chosen (the admin's at `init`, an
//! operator's, a new one of one's own): long enough, and not guessable by
//! the patterns attackers try first, as the zxcvbn estimator judges them
//! (common passwords, keyboard rows, repeats, sequences, dates, single
//! words and names, and the names Kluis knows of this vault). The desk
//! asks this for every way in.

use secrecy::{ExposeSecret, SecretString};

/// Fewer characters than this are refused whatever they are.
pub const SHORTEST: usize = 8;

/// zxcvbn's score a passphrase must reach: 3 is "safely unguessable"
/// (about 10^10 guesses), which the slow Argon2id of a slot turns into
/// centuries offline.
const LEAST_SCORE: u8 = 3;

/// Why a passphrase was refused: a kind the window says in its own words
/// (the text here is the command line's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Weakness {
    #[error("a passphrase needs at least {SHORTEST} characters")]
    TooShort,
    #[error(
        "this passphrase is easy to guess: {0}; take four or more words nobody would link to you"
    )]
    Guessable(Hint),
}

/// What makes a passphrase guessable, as zxcvbn names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    /// On a list of passwords people use.
    Common,
    /// A row or pattern on the keyboard.
    KeyboardPattern,
    /// Repeated characters or pieces.
    Repeats,
    /// A sequence such as abc or 123.
    Sequence,
    /// A date or a recent year.
    Date,
    /// One word, or a name.
    SingleWord,
    /// A word that goes with the vault: its user's or the municipality's
    /// name, Kluis, "wachtwoord".
    KnownName,
    /// Too little variety, without one pattern to name.
    TooSimple,
}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Common => "it is on the lists of passwords people use",
            Self::KeyboardPattern => "it is a pattern on the keyboard",
            Self::Repeats => "it repeats characters or pieces",
            Self::Sequence => "it is a sequence such as abc or 123",
            Self::Date => "it is a date or a year",
            Self::SingleWord => "it is one word or a name",
            Self::KnownName => {
                "it leans on a word that goes with this vault (a name, kluis, wachtwoord)"
            }
            Self::TooSimple => "it has too little variety",
        })
    }
}

/// Checks a passphrase being chosen; `names` are what it must not lean on
/// (the operator's name, the municipality's).
pub fn check(passphrase: &SecretString, names: &[&str]) -> Result<(), Weakness> {
    let text = passphrase.expose_secret();
    if text.trim().chars().count() < SHORTEST {
        return Err(Weakness::TooShort);
    }
    let mut inputs: Vec<&str> = vec!["kluis", "gemeente", "whatsapp", "wachtwoord"];
    inputs.extend(names.iter().copied().filter(|n| !n.is_empty()));
    let estimate = zxcvbn::zxcvbn(text, &inputs);
    if u8::from(estimate.score()) >= LEAST_SCORE {
        return Ok(());
    }
    let lowered = text.to_lowercase();
    if inputs
        .iter()
        .any(|n| n.len() >= 3 && lowered.contains(&n.to_lowercase()))
    {
        return Err(Weakness::Guessable(Hint::KnownName));
    }
    Err(Weakness::Guessable(hint(
        estimate.feedback().and_then(|f| f.warning()),
    )))
}

fn hint(warning: Option<zxcvbn::feedback::Warning>) -> Hint {
    use zxcvbn::feedback::Warning as W;
    match warning {
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => Hint::Common,
        Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => {
            Hint::KeyboardPattern
        }
        Some(
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => Hint::Repeats,
        Some(W::SequencesLikeAbcAreEasyToGuess) => Hint::Sequence,
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => Hint::Date,
        Some(
            W::AWordByItselfIsEasyToGuess
            | W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => Hint::SingleWord,
        None => Hint::TooSimple,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_with_their_reason() {
        let check = |text: &str, expect: Result<(), Weakness>| {
            assert_eq!(
                super::check(
                    &SecretString::from(text.to_owned()),
                    &["Sanne", "Voorbeeld"]
                ),
                expect,
                "{text:?}"
            );
        };
        use Hint::*;
        use Weakness::*;
        check("", Err(TooShort));
        check("        ", Err(TooShort));
        check("kort", Err(TooShort));
        check("12345678", Err(Guessable(Common)));
        check("password", Err(Guessable(Common)));
        check("qwertyuiop", Err(Guessable(Common)));
        check("aaaaaaaaaaaa", Err(Guessable(Repeats)));
        check("Sanne2026!", Err(Guessable(KnownName)));
        check("wachtwoord", Err(Guessable(KnownName)));
        check("beheerder wachtwoord", Ok(()));
        check("fiets paraplu zonnebloem kade", Ok(()));
        check("Tr0mbone-Lantaarn-Gracht", Ok(()));
    }
}
