import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { decimalEquals } from "../domain/money.js";
import { fieldType, isSecret, type FieldValue, type Resource } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";

/*
 * Convergence: after the writes and before the revision is recorded, the
 * rows read back must hold what the apply asked for. A value the database
 * changes on the way (a trigger, a column type that rounds, an encoding)
 * would otherwise show as a change in every later plan, and a sync loop would
 * write a new revision forever. Refusing rolls the whole apply back.
 */

function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equalJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function stored(kind: Resource["kind"], name: string, wanted: FieldValue, got: FieldValue | undefined): boolean {
  if (isSecret(wanted) || fieldType(kind, name) === "secret") return true; // compared by digest in the plan; never read back here
  if (fieldType(kind, name) === "decimal") return got !== null && got !== undefined && decimalEquals(String(wanted), String(got));
  return equalJson(wanted, got ?? null);
}

/** Throws (rolling the apply back) when a written field does not read back as written. */
export function assertConverged(after: LiveState, written: readonly Resource[]): void {
  const live = new Map(after.resources.map((r) => [r.address, r]));
  for (const r of written) {
    const row = live.get(r.address);
    for (const [name, wanted] of Object.entries(r.fields)) {
      // A null for a NOT NULL column keeps the database's value by design.
      if (wanted === null || wanted === undefined) continue;
      if (row && stored(r.kind, name, wanted, row.fields[name])) continue;
      const got = row ? JSON.stringify(row.fields[name] ?? null) : "(no row)";
      throw new UserError(
        "apply.not-converged",
        `${inert(r.address)} ${name}: the database stored ${inert(got).slice(0, 80)} instead of ${inert(JSON.stringify(wanted)).slice(0, 80)}; ` +
          "the apply was rolled back (recording it would make every later plan show this change again)",
        { suggestions: ["check for triggers or column types on this table that change values, and write the value the database keeps"] },
      );
    }
  }
}
