import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { locate, type Path, type YamlDocument } from "./yaml-source.js";

/**
 * Shapes of real provider credentials. Each match is reported by its prefix
 * only: the value itself never reaches a message, a log or a terminal.
 */
const KEY_SHAPES: { pattern: RegExp; label: (m: string) => string }[] = [
  {
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}/g,
    label: (m) => (/^sk-(ant|proj|svcacct|admin)-/.exec(m)?.[0] ?? "sk-") + "…",
  },
  { pattern: /(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}(?![A-Za-z0-9])/g, label: () => "AKIA…" },
  { pattern: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}/g, label: (m) => m.slice(0, 4) + "…" },
  { pattern: /(?<![A-Za-z0-9])xox[abpr]-[A-Za-z0-9-]{10,}/g, label: (m) => m.slice(0, 5) + "…" },
  { pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g, label: () => "AIza…" },
];

/** Field names whose string values are credentials if they look random. */
const KEY_LIKE_FIELD = /api[_-]?key|apikey|token|secret|passw(or)?d|credential|private[_-]?key|auth/i;

const HOW_TO_FIX = "reference it as `api_key: { from_env: NAME }` and set NAME in the environment";

/**
 * Scans the raw text, so keys in comments and in files that do not even parse
 * are caught too. Positions are 1-based line and column.
 */
export function scanTextForSecrets(file: string, text: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const { pattern, label } of KEY_SHAPES) {
    for (const m of text.matchAll(pattern)) {
      const { line, col } = lineCol(text, m.index);
      found.push(
        diagnostic("error", "secrets.plaintext", `a plaintext API key (${label(m[0])}) is written in the configuration; ${HOW_TO_FIX}`, {
          file,
          line,
          col,
        }),
      );
    }
  }
  return found;
}

/** Key-like fields (`*api_key*`, `*token*`, `*secret*`) holding a long random-looking string. */
export function scanValuesForSecrets(d: YamlDocument): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (value: unknown, path: Path): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, i]));
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === "string" && KEY_LIKE_FIELD.test(k) && looksLikeCredential(v) && !matchesKeyShape(v)) {
          found.push(
            diagnostic("error", "secrets.plaintext", `\`${k}\` holds what looks like a plaintext credential; ${HOW_TO_FIX}`, locate(d, [...path, k])),
          );
        } else visit(v, [...path, k]);
      }
    }
  };
  visit(d.value, []);
  return found;
}

export function looksLikeCredential(s: string): boolean {
  if (s.length < 16 || /\s/.test(s)) return false;
  if (/^[A-Z_][A-Z0-9_]*$/.test(s)) return false; // an environment variable's name
  if (!/[A-Za-z]/.test(s) || !/\d/.test(s)) return false;
  return shannonBits(s) >= 3.2;
}

function shannonBits(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

function matchesKeyShape(s: string): boolean {
  return KEY_SHAPES.some(({ pattern }) => new RegExp(pattern.source).test(s));
}

/** Last line of defence: any key shape in a message is replaced by its prefix. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, label } of KEY_SHAPES) out = out.replace(pattern, (m) => label(m));
  return out;
}

function lineCol(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) (line++, (lineStart = i + 1));
  return { line, col: index - lineStart + 1 };
}
