// The lock's promise to the page: on lock, every store that holds citizen
// data forgets it. Each such store registers here when it is made, so a
// lock clears them all by construction (forget.test.ts checks that every
// feature store registers).

const forgetters = new Map<string, () => void>();

/** Registers `forget` under the store's feature name. */
export function registerForget(feature: string, forget: () => void): void {
  forgetters.set(feature, forget);
}

/** Empties every registered store. */
export function forgetAll(): void {
  for (const forget of forgetters.values()) forget();
}

/** The features whose stores registered. */
export function registered(): string[] {
  return [...forgetters.keys()].sort();
}
