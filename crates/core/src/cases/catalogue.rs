//! The admin's lists for the day's work, each entry checked before it is
//! kept: labels (case types) with a colour from the window's palette, and
//! canned replies with a `/shortcode` and only known placeholders.

use kluis_vault::Session;
use kluis_vault::store::CannedReply;

use super::CaseError;
use super::replies;

/// The colours a label may have: the window draws each with a text
/// colour that passes WCAG AA contrast, so the admin picks a name.
pub const COLOURS: [&str; 8] = [
    "blauw", "groen", "geel", "oranje", "rood", "paars", "grijs", "roze",
];

/// The longest label name.
pub const LABEL_MAX: usize = 40;

/// A label's name as it is kept: trimmed, printable, at most
/// [`LABEL_MAX`] characters, and not another label's name in other capitals.
pub fn label_name(name: &str, existing: &[&str]) -> Result<String, CaseError> {
    let name = super::change::one_line(name, LABEL_MAX)?;
    let name = name.as_str();
    if let Some(other) = existing
        .iter()
        .find(|e| **e != name && e.to_lowercase() == name.to_lowercase())
    {
        return Err(CaseError::LabelExists((*other).to_owned()));
    }
    Ok(name.to_owned())
}

/// A colour's name from [`COLOURS`].
pub fn colour(name: &str) -> Result<&'static str, CaseError> {
    let wanted = name.trim().to_lowercase();
    COLOURS
        .into_iter()
        .find(|c| *c == wanted)
        .ok_or(CaseError::UnknownColour)
}

/// The longest canned reply.
pub const REPLY_MAX: usize = 4_000;

/// A canned reply checked: a shortcode of letters, digits and `-` (the
/// `/` typed before it is not part of it), a title, a text whose every
/// placeholder is known, and a label that exists if one is named.
pub fn canned_reply(
    shortcode: &str,
    title: &str,
    text: &str,
    label: Option<&str>,
    labels: &[&str],
) -> Result<CannedReply, CaseError> {
    let shortcode = shortcode.trim().trim_start_matches('/').to_lowercase();
    if shortcode.is_empty()
        || shortcode.len() > 30
        || !shortcode
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(CaseError::BadShortcode);
    }
    let title = super::change::one_line(title, 80)?;
    let text = super::change::plain(text, REPLY_MAX)?;
    replies::check(&text)?;
    let label = match label.map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) if labels.contains(&l) => Some(l.to_owned()),
        Some(_) => return Err(CaseError::UnknownLabel),
        None => None,
    };
    Ok(CannedReply {
        shortcode,
        title,
        text,
        label,
    })
}

/// Keeps a label with its colour, checked and audited; returns its name.
pub(crate) fn put_label(
    session: &mut Session,
    name: &str,
    colour_name: &str,
    now: i64,
) -> Result<String, CaseError> {
    let labels = session.store().labels()?;
    let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
    let name = label_name(name, &names)?;
    let colour = colour(colour_name)?;
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.put_label(&name, colour)?;
    super::audit_edit(
        &mut tx,
        &who,
        now,
        "labels",
        &format!("label {name:?} kept, colour {colour}"),
    )?;
    tx.commit()?;
    Ok(name)
}

/// Stops offering a label, audited.
pub(crate) fn remove_label(session: &mut Session, name: &str, now: i64) -> Result<(), CaseError> {
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    if !tx.remove_label(name.trim(), now)? {
        return Err(CaseError::UnknownLabel);
    }
    super::audit_edit(
        &mut tx,
        &who,
        now,
        "labels",
        &format!("label {:?} removed from the list", name.trim()),
    )?;
    tx.commit()?;
    Ok(())
}

/// Keeps a canned reply, checked and audited; returns its shortcode.
pub(crate) fn put_reply(
    session: &mut Session,
    shortcode: &str,
    title: &str,
    text: &str,
    label: Option<&str>,
    now: i64,
) -> Result<String, CaseError> {
    let labels = session.store().labels()?;
    let names: Vec<&str> = labels
        .iter()
        .filter(|l| l.removed_at.is_none())
        .map(|l| l.name.as_str())
        .collect();
    let reply = canned_reply(shortcode, title, text, label, &names)?;
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.put_canned_reply(&reply)?;
    super::audit_edit(
        &mut tx,
        &who,
        now,
        "canned replies",
        &format!("reply /{} kept", reply.shortcode),
    )?;
    tx.commit()?;
    Ok(reply.shortcode)
}

/// Removes a canned reply, audited.
pub(crate) fn remove_reply(
    session: &mut Session,
    shortcode: &str,
    now: i64,
) -> Result<(), CaseError> {
    let shortcode = shortcode.trim().trim_start_matches('/').to_lowercase();
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    if !tx.remove_canned_reply(&shortcode)? {
        return Err(CaseError::NoSuchReply);
    }
    super::audit_edit(
        &mut tx,
        &who,
        now,
        "canned replies",
        &format!("reply /{shortcode} removed"),
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_replies_are_checked() {
        let existing = ["afval", "Paspoort"];
        assert_eq!(label_name("  WMO ", &existing).unwrap(), "WMO");
        assert_eq!(label_name("afval", &existing).unwrap(), "afval");
        assert!(
            matches!(label_name("paspoort", &existing), Err(CaseError::LabelExists(l)) if l == "Paspoort")
        );
        assert!(matches!(label_name(" ", &existing), Err(CaseError::Empty)));
        assert!(matches!(
            label_name("a\u{7}", &existing),
            Err(CaseError::ControlCharacter)
        ));
        assert!(matches!(
            label_name(&"x".repeat(41), &existing),
            Err(CaseError::TooLong { max: 40 })
        ));
        assert_eq!(colour(" Groen").unwrap(), "groen");
        assert!(colour("#ff0000").is_err());

        let labels = ["afval"];
        let ok = canned_reply(
            "/Grofvuil",
            "Grofvuil",
            "Beste {naam}, ...",
            Some("afval"),
            &labels,
        )
        .unwrap();
        assert_eq!(
            (ok.shortcode.as_str(), ok.label.as_deref()),
            ("grofvuil", Some("afval"))
        );
        let check = |shortcode: &str, text: &str, label: Option<&str>, expect: &str| {
            let err = canned_reply(shortcode, "t", text, label, &labels).unwrap_err();
            assert_eq!(format!("{err:?}"), expect, "{shortcode} {text}");
        };
        check("a b", "x", None, "BadShortcode");
        check("", "x", None, "BadShortcode");
        check("ok", "Beste {naaam}", None, "UnknownPlaceholder(\"naaam\")");
        check("ok", " ", None, "Empty");
        check("ok", "x", Some("paspoort"), "UnknownLabel");
    }
}
