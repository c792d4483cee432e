// Presentation of times, counts and outcomes in the window's language,
// kept pure for tests. Times arrive in parts (Stamp) and go through Intl.
import type { ClockTime, DateDto, ExportResult, ImportVia, Stamp, UnlockAs } from "./api/bindings";
import { intlLocale, t, type Messages } from "./i18n";

const pad = (n: number) => String(n).padStart(2, "0");

/** A date as a key for grouping and comparing: `YYYY-MM-DD`. */
export const dateKey = (d: DateDto | Stamp): string => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/** A date as the window writes it: `dd-mm-jjjj`. */
export const dateText = (d: DateDto | Stamp): string => `${pad(d.day)}-${pad(d.month)}-${d.year}`;

/** Today in the laptop's local time. */
export function localToday(now: Date = new Date()): DateDto {
  return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
}

const asDate = (s: DateDto & Partial<ClockTime>) => new Date(s.year, s.month - 1, s.day, s.hour ?? 0, s.minute ?? 0);

function dayMonth(d: DateDto, today: DateDto, locale: string): string {
  const withYear = d.year !== today.year;
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    ...(withYear ? { year: "numeric" } : {}),
  })
    .format(asDate(d))
    .replace(".", "");
}

/** A time of day: `09:05`. */
export function clockTime(at: ClockTime, locale = intlLocale): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    asDate({ year: 2000, month: 1, day: 1, ...at }),
  );
}

/** As the list shows a conversation's latest message: the time today, else the date. */
export function listTime(at: Stamp | null, today: DateDto, locale = intlLocale): string {
  if (!at) return "";
  if (dateKey(at) === dateKey(today)) return clockTime(at, locale);
  return dayMonth(at, today, locale);
}

/** The heading above a day's messages. */
export function dayHeading(day: DateDto, today: DateDto, messages: Messages = t, locale = intlLocale): string {
  if (dateKey(day) === dateKey(today)) return messages.conversations.today;
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" })
    .format(asDate(day))
    .replace(".", "");
}

/** Whose key slot, as the lock screen names it. */
export function unlockAsLabel(who: UnlockAs, messages: Messages = t): string {
  switch (who.kind) {
    case "operator":
      return who.name;
    case "admin":
      return messages.who.admin;
    case "recovery":
      return messages.who.recovery;
  }
}

/** One export's outcome in a sentence, as the import panel shows it. */
export function exportLine(result: ExportResult, via: ImportVia, messages: Messages = t): string {
  const m = messages.imports;
  const o = result.outcome;
  switch (o.kind) {
    case "imported": {
      const parts = [m.newMessages(o.newMessages), m.already(o.already)];
      const d = o.differed;
      if (d.deletedLater > 0) parts.push(m.deletedLater(d.deletedLater));
      if (d.restored > 0) parts.push(m.restored(d.restored));
      if (d.edited > 0) parts.push(m.edited(d.edited));
      if (d.captions > 0) parts.push(m.captions(d.captions));
      if (o.mediaStored > 0) parts.push(m.mediaStored(o.mediaStored));
      if (o.mediaMissing > 0) parts.push(m.mediaMissing(o.mediaMissing));
      return m.imported(o.chatName, o.newConversation, parts);
    }
    case "refused":
      return (via === "inbox" ? m.refusedInbox : m.refusedDrop)(m.problem(o.problem));
    case "failed":
      return (via === "inbox" ? m.failedInbox : m.failedDrop)(m.problem(o.problem));
  }
}
