import { describe, expect, it } from "vitest";
import type { ExportResult } from "./bindings";
import { clockTime, conversationCount, dayHeading, exportLine, listTime, localToday } from "./format";

describe("listTime", () => {
  const today = "2026-11-23";
  it.each([
    ["2026-11-23T09:05:00", "09:05"],
    ["2026-11-22T23:59:00", "22 nov"],
    ["2026-01-02T08:00:00", "2 jan"],
    ["2025-12-31T08:00:00", "31 dec 2025"],
    [null, ""],
    ["garbage", "garbage"],
  ])("%s -> %s", (at, expected) => {
    expect(listTime(at, today)).toBe(expected);
  });
});

describe("dayHeading and clockTime", () => {
  it("names today and dates other days", () => {
    expect(dayHeading("2026-11-23", "2026-11-23")).toBe("Vandaag");
    expect(dayHeading("2026-03-01", "2026-11-23")).toBe("1 mrt 2026");
    expect(clockTime("2026-03-01T07:08:09")).toBe("07:08");
  });
  it("formats the local date with leading zeros", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("conversationCount", () => {
  it.each([
    [0, "0 gesprekken"],
    [1, "1 gesprek"],
    [7, "7 gesprekken"],
  ])("%i -> %s", (n, expected) => {
    expect(conversationCount(n)).toBe(expected);
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
      mediaStored: 0,
      mediaMissing: 0,
      warnings: [],
      leftBehind: null,
      ...over,
    } as ExportResult["outcome"],
  });
  const check = (result: ExportResult, via: "drop" | "inbox", expected: string) =>
    expect(exportLine(result, via)).toBe(expected);

  it("says what was new and what was there already", () => {
    check(imported(), "inbox", "Eva: 0 nieuw, 40 al aanwezig");
    check(imported({ newConversation: true, newMessages: 3, already: 0, mediaStored: 2, mediaMissing: 1 }), "drop",
      "Eva (nieuw gesprek): 3 nieuw, 0 al aanwezig, 2 bestanden opgeslagen, 1 bestand ontbreekt in de export");
  });

  it("says where a refused or failed file is", () => {
    const refused: ExportResult = { fileName: "x.txt", outcome: { kind: "refused", reason: "Geen export." } };
    const failed: ExportResult = { fileName: "x.txt", outcome: { kind: "failed", reason: "Schijf vol." } };
    check(refused, "inbox", "Niet ingelezen, in quarantaine gezet: Geen export.");
    check(refused, "drop", "Niet ingelezen (het bestand staat nog waar het stond): Geen export.");
    check(failed, "inbox", "Nog niet ingelezen, Kluis probeert het opnieuw: Schijf vol.");
    check(failed, "drop", "Niet ingelezen: Schijf vol.");
  });
});
