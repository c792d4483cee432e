// The window's language: Dutch unless the laptop was set to English
// (localStorage "kluis.locale" = "en"). Dates and numbers go through Intl
// in the same locale.
import { en } from "./en";
import { nl, type Messages } from "./nl";

export type Locale = "nl" | "en";

const CATALOGUES: Record<Locale, Messages> = { nl, en };

function chosen(): Locale {
  try {
    return globalThis.localStorage?.getItem("kluis.locale") === "en" ? "en" : "nl";
  } catch {
    return "nl";
  }
}

export const locale: Locale = chosen();

/** The sentences in the window's language. */
export const t: Messages = CATALOGUES[locale];

/** The catalogue of `which`, for tests. */
export const catalogue = (which: Locale): Messages => CATALOGUES[which];

/** The BCP 47 tag for Intl. */
export const intlLocale = locale === "nl" ? "nl-NL" : "en-GB";

export type { Messages };
