import { KIND_ORDER, isSecret, type FieldValue, type JsonValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { DesiredState } from "../domain/state.js";
import { canonicalJson } from "./digest.js";
import { sameValue } from "./diff.js";

/** One side of a compared field: its value (a key by the variable that holds it) and, when an environment sets it, where. */
export interface ComparedValue {
  value: JsonValue | { from_env: string } | undefined;
  origin?: { file: string; line: number };
}

export interface DesiredDifference {
  address: string;
  kind: ResourceKind;
  source?: { file: string; line: number };
  fields: { name: string; left: ComparedValue; right: ComparedValue }[];
}

/** Two desired states side by side (`cfgsync diff --env A --env B`). */
export interface DesiredComparison {
  left: string;
  right: string;
  same: boolean;
  differences: DesiredDifference[];
  /** Policy fields that differ (policies.yaml with each environment's `policies` merged over it). */
  policy: { name: string; left: JsonValue | undefined; right: JsonValue | undefined }[];
}

/**
 * What differs between two desired states, field by field, by each field's
 * type (0.04 equals 0.040). Keys are compared by the variable they are read
 * from, never by value. Pure: the states are built by the caller.
 */
export function compareDesired(left: { name: string; desired: DesiredState }, right: { name: string; desired: DesiredState }): DesiredComparison {
  const rightByAddress = new Map(right.desired.resources.map((r) => [r.address, r]));
  const leftAddresses = new Set(left.desired.resources.map((r) => r.address));
  const differences: DesiredDifference[] = [];
  const compareResource = (a: Resource | undefined, b: Resource | undefined) => {
    const r = (a ?? b)!;
    const names = [...new Set([...Object.keys(a?.fields ?? {}), ...Object.keys(b?.fields ?? {})])];
    const fields = names
      .filter((name) => !same(r.kind, name, a?.fields[name], b?.fields[name]))
      .map((name) => ({ name, left: side(a, name), right: side(b, name) }));
    if (!fields.length) return;
    const source = r.source ? { source: { file: r.source.file, line: r.source.line } } : {};
    differences.push({ address: r.address, kind: r.kind, ...source, fields });
  };
  for (const a of left.desired.resources) compareResource(a, rightByAddress.get(a.address));
  for (const b of right.desired.resources) if (!leftAddresses.has(b.address)) compareResource(undefined, b);

  const { source: _l, ...leftPolicy } = left.desired.policy ?? {};
  const { source: _r, ...rightPolicy } = right.desired.policy ?? {};
  const policy = [...new Set([...Object.keys(leftPolicy), ...Object.keys(rightPolicy)])]
    .sort()
    .map((name) => ({ name, left: (leftPolicy as Record<string, JsonValue>)[name], right: (rightPolicy as Record<string, JsonValue>)[name] }))
    .filter((p) => canonicalJson(p.left ?? null) !== canonicalJson(p.right ?? null));

  const rank = (k: ResourceKind) => KIND_ORDER.indexOf(k);
  const sorted = differences.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { left: left.name, right: right.name, same: sorted.length === 0 && policy.length === 0, differences: sorted, policy };
}

function same(kind: ResourceKind, name: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (isSecret(a) || isSecret(b)) return (isSecret(a) ? a.from_env : a ?? null) === (isSecret(b) ? b.from_env : b ?? null);
  return sameValue(kind, name, a, b) === true;
}

function side(r: Resource | undefined, name: string): ComparedValue {
  const v = r?.fields[name];
  const value = isSecret(v) ? (v.from_env ? { from_env: v.from_env } : null) : (v as JsonValue | undefined);
  const origin = r?.overlay?.[name];
  return { value, ...(origin ? { origin: { file: origin.file, line: origin.line } } : {}) };
}
