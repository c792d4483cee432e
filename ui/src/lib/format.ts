// Presentation rules for dates and statuses, in Dutch, kept pure for tests.
import type { CaseStatusDto, ExportResult, ImportVia, UnlockAs } from "./bindings";

const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/** `YYYY-MM-DDTHH:MM:SS` as the list shows it: the time today, else the date. */
export function listTime(at: string | null, today: string): string {
  if (!at) return "";
  const [date, time] = at.split("T");
  if (!date || !time) return at;
  if (date === today) return time.slice(0, 5);
  const [year, month, day] = date.split("-");
  const name = MONTHS[Number(month) - 1] ?? month;
  return year === today.slice(0, 4) ? `${Number(day)} ${name}` : `${Number(day)} ${name} ${year}`;
}

/** The time of day of a message, `HH:MM`. */
export function clockTime(at: string): string {
  return at.slice(11, 16);
}

/** The heading above a day's messages. */
export function dayHeading(date: string, today: string): string {
  if (date === today) return "Vandaag";
  const [year, month, day] = date.split("-");
  const name = MONTHS[Number(month) - 1] ?? month;
  return `${Number(day)} ${name} ${year}`;
}

/** "1 gesprek", "7 gesprekken". */
export function conversationCount(n: number): string {
  return `${n} ${n === 1 ? "gesprek" : "gesprekken"}`;
}

export const STATUS_LABEL: Record<CaseStatusDto, string> = {
  open: "Open",
  waitingOnCitizen: "Wacht op inwoner",
  resolved: "Afgehandeld",
};

/** Today as `YYYY-MM-DD` in the laptop's local time. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whose key slot, as the lock screen names it. */
export function unlockAsLabel(who: UnlockAs): string {
  switch (who.kind) {
    case "operator":
      return who.name;
    case "admin":
      return "Beheerder";
    case "recovery":
      return "Herstelsleutel";
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One export's outcome in a sentence, as the import panel shows it. */
export function exportLine(result: ExportResult, via: ImportVia): string {
  const o = result.outcome;
  switch (o.kind) {
    case "imported": {
      const parts = [`${o.newMessages} nieuw`, `${o.already} al aanwezig`];
      if (o.mediaStored > 0) parts.push(plural(o.mediaStored, "bestand opgeslagen", "bestanden opgeslagen"));
      if (o.mediaMissing > 0) {
        parts.push(plural(o.mediaMissing, "bestand ontbreekt", "bestanden ontbreken") + " in de export");
      }
      const name = o.newConversation ? `${o.chatName} (nieuw gesprek)` : o.chatName;
      return `${name}: ${parts.join(", ")}`;
    }
    case "refused":
      return via === "inbox"
        ? `Niet ingelezen, in quarantaine gezet: ${o.reason}`
        : `Niet ingelezen (het bestand staat nog waar het stond): ${o.reason}`;
    case "failed":
      return via === "inbox"
        ? `Nog niet ingelezen, Kluis probeert het opnieuw: ${o.reason}`
        : `Niet ingelezen: ${o.reason}`;
  }
}
