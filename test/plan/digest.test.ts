import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/plan/digest.js";

/** The definition canonicalJson must keep matching byte for byte: saved plans carry digests of it. */
function referenceCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Deterministic pseudo-random JSON-ish values, including what JSON drops or rewrites. */
function randomValue(seed: { n: number }, depth: number): unknown {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = next();
  if (depth > 3 || pick < 0.35) {
    const leaves = [null, undefined, true, false, 0, -0, 1.5, -2e21, NaN, Infinity, "", "é\u2028\"\\", "0.0400", 42, () => 1, Symbol("s")];
    return leaves[Math.floor(next() * leaves.length)];
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(seed, depth + 1));
  if (pick < 0.6) return new Date(Math.floor(next() * 1e12));
  const keys = ["b", "a", "10", "9", "0", "01", "-1", "4294967295", "4294967294", "ä", "Z", "a b", "__proto_"];
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) obj[keys[Math.floor(next() * keys.length)]!] = randomValue(seed, depth + 1);
  return obj;
}

describe("canonicalJson", () => {
  it("sorts object keys, so key order does not change the text", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("writes exactly what JSON.stringify writes for the value with sorted keys (plan digests depend on it)", () => {
    const seed = { n: 7 };
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(seed, 0);
      expect(canonicalJson(value), JSON.stringify(value)).toBe(referenceCanonicalJson(value));
    }
    const edge = [JSON.parse('{"__proto__":{"b":1,"a":2},"a":[1]}'), { "10": 1, "9": 2, b: 3, a: 4 }, { toJSON: () => ({ y: 1, x: 2 }) }, [undefined, () => 1], undefined, new Number(3), { d: new Date(0) }];
    for (const value of edge) expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });
});
