import { UserError } from "../domain/diagnostic.js";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** One or more `<number><unit>` parts, Go style: `500ms`, `60s`, `1.5m`, `1h30m`. */
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Parses a human duration into milliseconds. A bare number is refused: "60"
 * could mean seconds or milliseconds, and guessing wrong makes a sync loop
 * hammer the repository (or sleep for a day).
 */
export function parseDuration(text: string, flag = "duration"): number {
  const s = text.trim();
  if (!WHOLE.test(s)) {
    throw new UserError("usage.invalid-duration", `--${flag} ${JSON.stringify(text)} is not a duration`, {
      suggestions: ["Write a number with a unit: 500ms, 30s, 5m, 1h (or combined, 1m30s)."],
    });
  }
  let ms = 0;
  for (const [, amount, unit] of s.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit as Unit];
  return Math.round(ms);
}

/** A duration flag with a lower bound, so a typo cannot turn a loop into a busy loop. */
export function parseDurationAtLeast(text: string, flag: string, minMs: number): number {
  const ms = parseDuration(text, flag);
  if (ms < minMs) {
    throw new UserError("usage.invalid-duration", `--${flag} ${text} is too short: the minimum is ${formatDuration(minMs)}`);
  }
  return ms;
}

/** The inverse, for logs and messages: 1500 -> "1.5s", 90000 -> "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || "0s";
}
