// A command's error (CommandError: a kind with its data) in the window's words.
import type { CommandError } from "./api/bindings";
import { t, type Messages } from "./i18n";

export function describeError(e: unknown, messages: Messages = t): string {
  if (!e || typeof e !== "object" || !("kind" in e)) return messages.app.somethingWrong;
  const err = e as CommandError;
  const m = messages.errors;
  switch (err.kind) {
    case "wrongPassphrase":
      return m.wrongPassphrase(err.failures);
    case "tooSoon":
      return m.tooSoon;
    case "outsideShift":
      return m.outsideShift;
    case "reasonNeeded":
      return m.reasonNeeded;
    case "dayClosed":
      return m.dayClosed;
    case "adminNeeded":
      return m.adminNeeded(err.failures);
    case "notPermitted":
      return m.notPermitted;
    case "conversationNotFound":
      return m.conversationNotFound;
    case "locked":
      return m.locked;
    case "noVault":
      return m.noVault;
    case "noTarget":
      return m.noTarget;
    case "notSetUp":
      return m.notSetUp(err.setting);
    case "seal":
      return m.seal(err.detail);
    case "vault":
      return m.vault(err.detail);
    case "case":
      return messages.case.problem(err.problem);
    case "clipboard":
      return m.clipboard;
    case "media":
      return m.media;
    case "noSuchDate":
      return m.noSuchDate(`${err.day.day}-${err.day.month}-${err.day.year}`);
  }
}
