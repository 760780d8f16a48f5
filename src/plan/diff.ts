import { decimalEquals } from "../domain/money.js";
import { KIND_ORDER, KINDS, fieldType, isSecret, kindOfAddress, type FieldValue, type JsonValue, type Resource } from "../domain/resources.js";
import { canonicalJson } from "./digest.js";
import type { Action, Change, FieldChange } from "./types.js";

/**
 * Whether two values of one field are the same, by the field's type: decimals
 * as decimals (0.04 equals 0.040), JSON structurally, secrets by digest.
 * `undefined` means "cannot tell" (a secret whose value is not available).
 */
export function sameValue(kind: Resource["kind"], name: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean | undefined {
  const type = fieldType(kind, name);
  if (type === "secret" || isSecret(a) || isSecret(b)) {
    const da = isSecret(a) ? a.digest : a ?? null;
    const db = isSecret(b) ? b.digest : b ?? null;
    return da === db;
  }
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  if (type === "decimal") return decimalEquals(String(a), String(b));
  if (type === "json") return canonicalJson(a) === canonicalJson(b);
  return a === b;
}

/**
 * A secret field is managed only when config names it (`from_env`) and its
 * value is known: an absent reference leaves the stored key alone, and a
 * missing environment variable is reported, not guessed.
 */
function comparable(r: Resource, name: string): boolean {
  const v = r.fields[name];
  if (fieldType(r.kind, name) !== "secret") return true;
  return isSecret(v) && v.digest !== null;
}

function fieldChange(
  kind: Resource["kind"],
  name: string,
  before: FieldValue | undefined,
  after: FieldValue | undefined,
  drifted: boolean,
  want?: Resource,
): FieldChange {
  const overlaid = want?.overlay?.[name];
  const origin = overlaid ? { origin: { file: overlaid.file, line: overlaid.line } } : {};
  if (fieldType(kind, name) === "secret" || isSecret(before) || isSecret(after)) {
    return { name, sensitive: true, changed: sameValue(kind, name, before, after) === false, ...(drifted ? { drifted } : {}), ...origin };
  }
  return { name, before: before as JsonValue | undefined, after: after as JsonValue | undefined, ...(drifted ? { drifted } : {}), ...origin };
}

/** Each kind's declared field names, as a list (their order) and a set. */
const DECLARED = new Map(KIND_ORDER.map((kind) => [kind, { names: KINDS[kind].fields.map((f) => f.name), set: new Set(KINDS[kind].fields.map((f) => f.name)) }]));

function fieldNames(r: Resource): string[] {
  const declared = DECLARED.get(r.kind)!;
  const names = declared.names.filter((n) => n in r.fields);
  for (const n of Object.keys(r.fields)) if (!declared.set.has(n)) names.push(n);
  return names;
}

const present = (v: FieldValue | undefined) => v !== null && v !== undefined;

function sourceOf(r: Resource): Change["source"] {
  return r.source ? { file: r.source.file, line: r.source.line } : undefined;
}

/**
 * The pure diff: desired (Git) + live (database) + last-applied (what cfgsync
 * wrote last) -> changes, in a stable order. Last-applied is what separates
 * "changed in Git" (update) from "changed by hand" (drift), and what the tool
 * owns (delete) from what it never managed (unmanaged, left alone).
 */
export function diffResources(
  desired: readonly Resource[],
  live: readonly Resource[],
  lastApplied: ReadonlyMap<string, Record<string, FieldValue>>,
): Change[] {
  const liveByAddress = new Map(live.map((r) => [r.address, r]));
  const desiredAddresses = new Set(desired.map((r) => r.address));
  const changes: Change[] = [];

  for (const want of desired) {
    const have = liveByAddress.get(want.address);
    const applied = lastApplied.get(want.address);
    if (!have) {
      const fields = fieldNames(want)
        .filter((n) => present(want.fields[n]) && comparable(want, n))
        .map((n) => fieldChange(want.kind, n, undefined, want.fields[n], false, want));
      // Managed before and gone now: someone deleted it outside Git.
      changes.push(withSource({ address: want.address, kind: want.kind, action: applied ? "drift" : "create", fields }, want));
      continue;
    }
    const fields: FieldChange[] = [];
    let drifted = false;
    for (const name of fieldNames(want)) {
      if (!comparable(want, name)) continue;
      if (sameValue(want.kind, name, have.fields[name], want.fields[name])) continue;
      const fieldDrifted = applied !== undefined && name in applied && sameValue(want.kind, name, have.fields[name], applied[name]) === false;
      drifted ||= fieldDrifted;
      fields.push(fieldChange(want.kind, name, have.fields[name], want.fields[name], fieldDrifted, want));
    }
    if (fields.length > 0) {
      changes.push(withSource({ address: want.address, kind: want.kind, action: drifted ? "drift" : "update", fields }, want));
    }
  }

  for (const have of live) {
    if (desiredAddresses.has(have.address)) continue;
    const action: Action = lastApplied.has(have.address) ? "delete" : "unmanaged";
    const fields =
      action === "delete"
        ? fieldNames(have)
            .filter((n) => present(have.fields[n]))
            .map((n) => fieldChange(have.kind, n, have.fields[n], undefined, false))
        : [];
    changes.push({ address: have.address, kind: have.kind, action, fields });
  }
  return sortChanges(changes);
}

function withSource(change: Change, r: Resource): Change {
  const source = sourceOf(r);
  return source ? { ...change, source } : change;
}

export function sortChanges(changes: Change[]): Change[] {
  const rank = (k: Resource["kind"]) => KIND_ORDER.indexOf(k);
  return changes.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * Drift alone: live rows that differ from what cfgsync last applied, whatever
 * Git says now (`cfgsync drift`).
 */
export function detectDrift(live: readonly Resource[], lastApplied: ReadonlyMap<string, Record<string, FieldValue>>): Change[] {
  const liveByAddress = new Map(live.map((r) => [r.address, r]));
  const changes: Change[] = [];
  for (const [address, applied] of lastApplied) {
    const have = liveByAddress.get(address);
    // State records hold addresses cfgsync wrote itself, so they always parse.
    const kind = have?.kind ?? kindOfAddress(address) ?? "account-setting";
    if (!have) {
      changes.push({ address, kind, action: "drift", fields: Object.keys(applied).filter((n) => present(applied[n])).map((n) => fieldChange(kind, n, applied[n], undefined, true)) });
      continue;
    }
    const fields = Object.keys(applied)
      .filter((n) => sameValue(kind, n, have.fields[n], applied[n]) === false)
      .map((n) => fieldChange(kind, n, applied[n], have.fields[n], true));
    if (fields.length) changes.push({ address, kind, action: "drift", fields });
  }
  return sortChanges(changes);
}
