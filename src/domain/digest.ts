import { createHash, createHmac } from "node:crypto";
import type { FieldValue, Resource } from "./resources.js";
import type { LiveState } from "./state.js";

/*
 * Hashing primitives shared by the planner, the store (stale-plan check under
 * the lock) and the runtime (schema cache keys): canonical JSON and sha256.
 */

/**
 * JSON with object keys sorted, so equal values hash equally whatever their key
 * order. The text is exactly what it has always been, JSON.stringify of the
 * value with every object rebuilt with sorted keys (digests of saved plans
 * depend on it); the objects are rebuilt first and serialised natively, since a
 * replacer function called on every value cost a fifth of a 10k-resource plan.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value, ""));
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An object's keys in code-unit order. Resources of one kind share their keys
 * (in the same order), so the order is remembered per key list: a 10k-resource
 * digest sorts each kind's keys once, not 10k times.
 */
const sortedKeyCache = new Map<string, string[]>();
const SORTED_KEY_CACHE_MAX = 1000;
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length < 2) return keys;
  const signature = JSON.stringify(keys); // unambiguous, whatever the keys hold
  let sorted = sortedKeyCache.get(signature);
  if (!sorted) {
    sorted = keys.sort(byCodeUnits);
    if (sortedKeyCache.size < SORTED_KEY_CACHE_MAX) sortedKeyCache.set(signature, sorted);
  }
  return sorted;
}

/** A copy with every plain object's keys in sorted order; toJSON applied first, as JSON.stringify would. */
function withSortedKeys(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
    if (value === null || typeof value !== "object") return value;
  }
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = withSortedKeys(value[i], String(i));
    return items;
  }
  const obj = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const k of sortedKeys(obj)) {
    // An own "__proto__" key (JSON.parse makes them) must stay a key, not become the prototype.
    if (k === "__proto__") Object.defineProperty(sorted, k, { value: withSortedKeys(obj[k], k), enumerable: true, writable: true, configurable: true });
    else sorted[k] = withSortedKeys(obj[k], k);
  }
  return sorted;
}

export function sha256(text: string | Buffer): string {
  return "sha256:" + createHash("sha256").update(text).digest("hex");
}

/** A secret's plaintext -> its digest (null when unset). */
export type SecretDigester = (value: string | null | undefined) => string | null;

/**
 * Digests of secrets keyed by the database's random salt (HMAC-SHA256, the
 * `secret_salt` row of cfgsync_meta): what plans and state records carry
 * instead of a key. Whoever holds a copy of a plan or of the state table but
 * not the salt cannot confirm a guessed key offline; plans never carry the salt.
 */
export function secretDigester(salt: string): SecretDigester {
  if (!salt) throw new Error("a secret digest needs the database's salt");
  return (value) => (value ? "hmac-sha256:" + createHmac("sha256", salt).update(value).digest("hex") : null);
}

/**
 * sha256 over a sequence of values, each hashed as its canonical JSON and a
 * newline (JSON text holds no raw newline, so the sequence is unambiguous).
 * A 50k-resource state is hashed a resource at a time: no string of the whole
 * state is ever built.
 */
export function sequenceDigest(parts: Iterable<unknown>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(canonicalJson(part)).update("\n");
  return "sha256:" + hash.digest("hex");
}

const byFirst = <T extends [string, ...unknown[]]>(a: T, b: T) => byCodeUnits(a[0], b[0]);

/** [address, fields] of each resource, in address order: what the state and config digests hash. */
export function resourceEntries(resources: readonly Pick<Resource, "address" | "fields">[]): [string, Record<string, FieldValue>][] {
  return resources.map((r): [string, Record<string, FieldValue>] => [r.address, r.fields]).sort(byFirst);
}

/** Digest of what a plan read from the database: live rows, last-applied records and accounts, one entry at a time. */
export function stateDigest(live: LiveState): string {
  function* parts() {
    yield "resources";
    yield* resourceEntries(live.resources);
    yield "lastApplied";
    yield* [...live.lastApplied.entries()].sort(byFirst);
    yield "accounts";
    yield* [...live.accounts.entries()].sort(byFirst);
  }
  return sequenceDigest(parts());
}

