import { createHash, createHmac } from "node:crypto";
import type { FieldValue, Resource } from "./resources.js";
import type { LiveState } from "./state.js";

/*
 * Hashing primitives shared by the planner, the store (stale-plan check under
 * the lock) and the runtime (schema cache keys): canonical JSON and sha256.
 */

/**
 * JSON with object keys sorted, so equal values hash equally whatever their key
 * order. The text is exactly what it has always been: JSON.stringify of the
 * value with every object rebuilt with its keys inserted in code-unit order
 * (digests of saved plans depend on it; such an object lists integer keys
 * first, in numeric order, as every JS object does). It is written directly,
 * without rebuilding the objects: a 10k-resource plan hashes its state and
 * configuration several times, and the copies were a tenth of its time.
 */
export function canonicalJson(value: unknown): string {
  return write(value, "") as string;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A key an object lists before all others, in numeric order: an array index (canonical integer below 2^32 - 1). */
const isArrayIndex = (k: string) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < 4294967295;

interface KeyLayout {
  /** Object.keys of objects of this layout, as listed. */
  keys: string[];
  /** The keys in output order: array indices numerically, then the others in code-unit order. */
  sorted: string[];
  /** Each sorted key as JSON text with its colon. */
  quoted: string[];
}

/**
 * Layouts by key count. Resources of one kind share their keys (in the same
 * order), so a 10k-resource digest sorts each kind's keys once; a lookup
 * compares the key lists element by element (property names are internalised
 * strings, so mostly by identity).
 */
const layouts = new Map<number, KeyLayout[]>();
const LAYOUTS_PER_COUNT = 16;

function layoutOf(obj: object): KeyLayout {
  const keys = Object.keys(obj);
  const n = keys.length;
  let bucket = layouts.get(n);
  if (bucket) {
    for (const layout of bucket) {
      const known = layout.keys;
      let i = 0;
      while (i < n && known[i] === keys[i]) i++;
      if (i === n) return layout;
    }
  } else layouts.set(n, (bucket = []));
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const sorted = indices.length ? [...indices, ...keys.filter((k) => !isArrayIndex(k)).sort(byCodeUnits)] : [...keys].sort(byCodeUnits);
  const layout = { keys, sorted, quoted: sorted.map((k) => JSON.stringify(k) + ":") };
  if (bucket.length < LAYOUTS_PER_COUNT) bucket.push(layout);
  return layout;
}

/** JSON text of `value` (undefined where JSON.stringify gives none: undefined, functions, symbols), keys sorted. */
function write(value: unknown, key: string): string | undefined {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  // toJSON applied first, as JSON.stringify would (decimals, dates).
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
    if (value === null || typeof value !== "object") return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item = write(value[i], String(i));
      out += (i ? "," : "") + (item === undefined ? "null" : item);
    }
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  const { sorted, quoted } = layoutOf(obj);
  let out = "{";
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const item = write(obj[sorted[i]!], sorted[i]!);
    if (item === undefined) continue;
    out += (first ? "" : ",") + quoted[i] + item;
    first = false;
  }
  return out + "}";
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

