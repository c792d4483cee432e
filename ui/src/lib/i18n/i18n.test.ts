// One catalogue per language, the same keys in each, and no sentence
// written into a component instead of the catalogue.
import { describe, expect, it } from "vitest";
import { catalogue } from ".";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const components = import.meta.glob("../../**/*.svelte", { eager: true, query: "?raw", import: "default" });

/** The text a component shows outside {expressions}, tags, scripts and styles. */
function literalText(source: string): string {
  return source
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\{[^{}]*\}/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ");
}

describe("the catalogues", () => {
  it("have the same keys in Dutch and English", () => {
    expect(keys(catalogue("en"))).toEqual(keys(catalogue("nl")));
  });

  it("hold every sentence: components write none of their own", () => {
    const found = Object.entries(components)
      .map(([path, source]) => [path, literalText(source as string).match(/\p{L}{2,}/gu) ?? []] as const)
      .filter(([, words]) => words.length > 0);
    expect(Object.keys(components).length).toBeGreaterThan(5);
    expect(found).toEqual([]);
  });
});
