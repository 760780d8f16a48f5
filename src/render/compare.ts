import { inert } from "../domain/inert.js";
import type { ComparedValue, DesiredComparison } from "../plan/compare.js";
import { makeStyle } from "./style.js";
import { displayValue } from "./value.js";

/** `cfgsync diff`: what differs between two environments' desired states, each overridden value with its line. */
export function renderComparisonText(c: DesiredComparison, color = false): string {
  const style = makeStyle(color);
  const left = inert(c.left);
  const right = inert(c.right);
  if (c.same) return `No differences: ${left} and ${right} want the same configuration.\n`;
  const lines = [style.bold(`${left} -> ${right}`) + style.dim("  (desired states: config/ with each environment overlaid)")];
  const shown = (v: ComparedValue) => {
    const value = v.value !== null && typeof v.value === "object" && !Array.isArray(v.value) && "from_env" in v.value ? `(key from ${inert(String(v.value.from_env))})` : displayValue(v.value);
    return v.origin ? `${value}${style.dim(` (${inert(v.origin.file)}:${v.origin.line})`)}` : value;
  };
  for (const d of c.differences) {
    lines.push(`  ${style.yellow(`~ ${inert(d.address)}`)}${d.source ? style.dim(`  (${inert(d.source.file)}:${d.source.line})`) : ""}`);
    for (const f of d.fields) lines.push(`      ${inert(f.name)}: ${shown(f.left)} -> ${shown(f.right)}`);
  }
  if (c.policy.length) {
    lines.push(`  ${style.yellow("~ policies")}`);
    for (const p of c.policy) lines.push(`      ${inert(p.name)}: ${displayValue(p.left)} -> ${displayValue(p.right)}`);
  }
  const fields = c.differences.reduce((n, d) => n + d.fields.length, 0);
  lines.push(
    "",
    `${c.differences.length} resource(s) differ in ${fields} field(s)${c.policy.length ? `, and ${c.policy.length} policy field(s)` : ""}.`,
  );
  return lines.join("\n") + "\n";
}
