import { describe, expect, it } from "vitest";
import { clockTime, conversationCount, dayHeading, listTime, localToday } from "./format";

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
