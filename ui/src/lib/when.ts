// Times the case work shows: a stamp written out, and a form's time in
// the parts Rust takes. The rules' times come from Rust; this only says them.
import type { Stamp } from "./api/bindings";
import { intlLocale } from "./i18n";

const asDate = (s: Stamp) => new Date(s.year, s.month - 1, s.day, s.hour, s.minute, s.second);

/** `4 dec, 10:02`, in the window's language. */
export function stampText(at: Stamp, locale = intlLocale): string {
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(asDate(at));
}

/** The value of a `datetime-local` input as the parts Rust takes. */
export function fromInput(value: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute };
}

/** A file's size in the window's language: `1,4 kB`, `3,2 MB`. */
export function fileSize(bytes: number, locale = intlLocale): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
