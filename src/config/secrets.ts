import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { positionAt, type SourceNode, type SourceScalar, type YamlDocument } from "./yaml-source.js";

/**
 * Shapes of real credentials. Each match is reported by its prefix only: the
 * value itself never reaches a message, a log or a terminal.
 */
const KEY_SHAPES: { pattern: RegExp; label: (m: string) => string }[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-).
  {
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}/g,
    label: (m) => (/^sk-(ant|proj|svcacct|admin)-/.exec(m)?.[0] ?? "sk-") + "…",
  },
  // Stripe live secret and restricted keys.
  { pattern: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{16,}/g, label: (m) => m.slice(0, 8) + "…" },
  // AWS access key ids (long-term and temporary).
  { pattern: /(?<![A-Za-z0-9])(AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g, label: (m) => m.slice(0, 4) + "…" },
  // GitHub: classic tokens and fine-grained PATs.
  { pattern: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}/g, label: (m) => m.slice(0, 4) + "…" },
  { pattern: /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/g, label: () => "github_pat_…" },
  // Hugging Face.
  { pattern: /(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,}/g, label: () => "hf_…" },
  // Slack tokens and incoming webhooks.
  { pattern: /(?<![A-Za-z0-9])xox[abpr]-[A-Za-z0-9-]{10,}/g, label: (m) => m.slice(0, 5) + "…" },
  { pattern: /https:\/\/hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9_/-]{20,}/g, label: () => "https://hooks.slack.com/…" },
  // Google API keys.
  { pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g, label: () => "AIza…" },
  // JSON Web Tokens: header.payload.signature, both JSON parts base64url of `{"`.
  { pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, label: () => "eyJ… (a JWT)" },
  // Database URLs with a password in them.
  {
    pattern: /\b(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver):\/\/[^\s:/@'"]+:[^\s@/'"]+@[^\s'"]+/g,
    label: (m) => m.slice(0, m.indexOf("://") + 3) + "user:…@… (a database URL with a password)",
  },
];

/** Field names whose string values are credentials if they look random. */
const KEY_LIKE_FIELD = /api[_-]?key|apikey|(^|[_.-])key$|token|secret|passw(or)?d|credential|private[_-]?key|auth/i;

const HOW_TO_FIX = "reference it as `api_key: { from_env: NAME }` and set NAME in the environment";

/**
 * Scans the raw text, so keys in comments and in files that do not even parse
 * are caught too. Positions are 1-based line and column.
 */
export function scanTextForSecrets(file: string, text: string): Diagnostic[] {
  return shapesIn(text).map(({ index, label }) => {
    const { line, col } = lineCol(text, index);
    return plaintextKey(label, { file, line, col });
  });
}

/**
 * A literal every key shape contains (`sk-`, `AKIA`, `eyJ`, `://`, ...): text
 * without any of them holds no key shape, which spares running every pattern
 * on each of the hundred thousand values of a large catalog.
 */
const ANY_SHAPE = /sk-|k_live_|AKIA|ASIA|gh[pousr]_|github_pat_|hf_|xox[abpr]-|AIza|eyJ|:\/\//;

function shapesIn(text: string): { index: number; match: string; label: string }[] {
  const found: { index: number; match: string; label: string }[] = [];
  if (!ANY_SHAPE.test(text)) return found;
  for (const { pattern, label } of KEY_SHAPES) {
    for (const m of text.matchAll(pattern)) found.push({ index: m.index, match: m[0], label: label(m[0]) });
  }
  return found;
}

function plaintextKey(label: string, at: { file: string; line: number; col: number }): Diagnostic {
  return diagnostic("error", "secrets.plaintext", `a plaintext credential (${label}) is written in the configuration; ${HOW_TO_FIX}`, at);
}

/**
 * Scans every key and string value as YAML parsed it: an escape (`"\x73k-…"`,
 * `"\u0073k-…"`) or a line fold hides a key from the raw-text scan, not from
 * this one. Also: key-like fields (`*api_key*`, `*token*`, `*secret*`)
 * holding a long random-looking string. `text` is the file the document is
 * in; a key written literally there is already reported by the text scan.
 */
export function scanValuesForSecrets(d: YamlDocument, text: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const here = (node: SourceScalar) => positionAt(d.file, d.lineCounter, node.start);
  const check = (node: SourceScalar, keyName: string | undefined): void => {
    if (typeof node.value !== "string") return;
    const shapes = shapesIn(node.value);
    const raw = shapes.length ? text.slice(node.start, node.end) : "";
    const hidden = shapes.find((s) => !raw.includes(s.match));
    if (hidden) found.push(plaintextKey(hidden.label, here(node)));
    else if (keyName !== undefined && KEY_LIKE_FIELD.test(keyName) && looksLikeCredential(node.value) && !shapes.length) {
      found.push(diagnostic("error", "secrets.plaintext", `\`${keyName.slice(0, 60)}\` holds what looks like a plaintext credential; ${HOW_TO_FIX}`, here(node)));
    }
  };
  const visit = (node: SourceNode, keyName: string | undefined): void => {
    // An alias's anchor is visited where it is written.
    if (node.kind === "scalar") check(node, keyName);
    else if (node.kind === "map") {
      for (const pair of node.pairs) {
        check(pair.key, undefined);
        visit(pair.value, pair.key.value as string);
      }
    } else if (node.kind === "seq") for (const item of node.items) visit(item, undefined);
  };
  visit(d.root, undefined);
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

/** Last line of defence: any key shape in a message is replaced by its prefix. */
export function redactSecrets(text: string): string {
  if (!ANY_SHAPE.test(text)) return text;
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
