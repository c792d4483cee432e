import { describe, expect, it } from "vitest";
import type { ExportResult, Stamp } from "./api/bindings";
import { clockTime, dayHeading, exportLine, listTime, localToday } from "./format";
import { catalogue } from "./i18n";

const nl = catalogue("nl");
const en = catalogue("en");
const at = (s: string): Stamp => {
  const [date = "", time = "00:00"] = s.split(" ");
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 };
};
const today = { year: 2026, month: 11, day: 23 };

describe("listTime", () => {
  it.each([
    ["2026-11-23 09:05", "09:05"],
    ["2026-11-22 23:59", "22 nov"],
    ["2026-01-02 08:00", "2 jan"],
    ["2025-12-31 08:00", "31 dec 2025"],
  ])("%s -> %s", (when, expected) => {
    expect(listTime(at(when), today, "nl-NL")).toBe(expected);
  });
  it("shows nothing for a conversation without messages", () => {
    expect(listTime(null, today, "nl-NL")).toBe("");
  });
});

describe("dayHeading and clockTime", () => {
  it("names today and dates other days", () => {
    expect(dayHeading(today, today, nl, "nl-NL")).toBe("Vandaag");
    expect(dayHeading(today, today, en, "en-GB")).toBe("Today");
    expect(dayHeading({ year: 2026, month: 3, day: 1 }, today, nl, "nl-NL")).toBe("1 mrt 2026");
    expect(clockTime({ hour: 7, minute: 8 }, "nl-NL")).toBe("07:08");
  });
  it("takes the local date", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toEqual({ year: 2026, month: 1, day: 5 });
  });
});

describe("the catalogues", () => {
  it.each([
    [0, "0 gesprekken", "0 conversations"],
    [1, "1 gesprek", "1 conversation"],
    [7, "7 gesprekken", "7 conversations"],
  ])("count %i", (n, dutch, english) => {
    expect(nl.conversations.count(n)).toBe(dutch);
    expect(en.conversations.count(n)).toBe(english);
  });
});

describe("exportLine", () => {
  const imported = (over: Partial<Record<string, unknown>> = {}): ExportResult => ({
    fileName: "WhatsApp-chat met Eva.txt",
    outcome: {
      kind: "imported",
      conversation: 1,
      chatName: "Eva",
      newConversation: false,
      newMessages: 0,
      already: 40,
      differed: { deletedLater: 0, restored: 0, edited: 0, captions: 0 },
      mediaStored: 0,
      mediaMissing: 0,
      warnings: [],
      leftBehind: [],
      ...over,
    } as ExportResult["outcome"],
  });
  const check = (result: ExportResult, via: "drop" | "inbox", expected: string) =>
    expect(exportLine(result, via, nl)).toBe(expected);

  it("says what was new and what was there already", () => {
    check(imported(), "inbox", "Eva: 0 nieuw, 40 al aanwezig");
    check(
      imported({ newConversation: true, newMessages: 3, already: 0, mediaStored: 2, mediaMissing: 1 }),
      "drop",
      "Eva (nieuw gesprek): 3 nieuw, 0 al aanwezig, 2 bestanden opgeslagen, 1 bestand ontbreekt in de export",
    );
  });

  it("says which messages present already were shown otherwise", () => {
    const differed = { deletedLater: 1, restored: 0, edited: 2, captions: 0 };
    check(
      imported({ already: 7, differed }),
      "inbox",
      "Eva: 0 nieuw, 7 al aanwezig, 1 bericht sindsdien door de burger verwijderd (tekst bewaard), 2 berichten bewerkt (eerdere tekst bewaard)",
    );
    expect(exportLine(imported({ already: 7, differed: { ...differed, restored: 1 } }), "drop", en)).toBe(
      "Eva: 0 new, 7 already present, 1 message deleted by the citizen since (text kept), 1 deleted message completed with the text from this older export, 2 messages edited (earlier text kept)",
    );
  });

  it("says where a refused or failed file is, and why", () => {
    const refused: ExportResult = { fileName: "x.txt", outcome: { kind: "refused", problem: { kind: "noExport" } } };
    const failed: ExportResult = {
      fileName: "x.txt",
      outcome: { kind: "failed", problem: { kind: "vault", detail: "No space left on device" } },
    };
    const noExport = "Hierin staat geen WhatsApp-export (geen .txt of .zip).";
    check(refused, "inbox", `Niet ingelezen, in quarantaine gezet: ${noExport}`);
    check(refused, "drop", `Niet ingelezen (het bestand staat nog waar het stond): ${noExport}`);
    check(failed, "inbox", "Nog niet ingelezen, Kluis probeert het opnieuw: De kluis kon het niet opslaan (No space left on device).");
    check(failed, "drop", "Niet ingelezen: De kluis kon het niet opslaan (No space left on device).");
    expect(exportLine(refused, "drop", en)).toBe(
      "Not imported (the file is still where it was): There is no WhatsApp export in it (no .txt or .zip).",
    );
  });
});
