/*
 * Output is inert: every user-controlled string that cfgsync prints (plan
 * text, diagnostics, GitHub workflow commands, the PR comment, logs) goes
 * through this module first, so no value can forge a line, start a workflow
 * command (`::error::`, `::stop-commands::`), drive a terminal (ESC, CSI),
 * reorder text (bidi overrides), break a Markdown table, open HTML or
 * @-mention anyone.
 */

/**
 * Control characters (C0 including newline and tab, DEL, C1), unpaired
 * surrogates, bidi controls and line/paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** The text on one line with every unsafe character shown as an escape (`\n`, `\x1b`, `\u202e`). */
export function inert(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * A line that cannot be a GitHub workflow command: runners only read
 * commands at the start of a line, so a line that would start with `::` gets
 * a leading space. Callers pass lines they assembled from inert parts.
 */
export function notACommand(line: string): string {
  return line.startsWith("::") ? " " + line : line;
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "@": "&#64;" };

/**
 * Text safe inside a Markdown table cell or line (and inside `<code>`):
 * inert first; HTML-significant characters, the pipe (it splits a cell) and
 * `@` (a mention) become entities; Markdown punctuation
 * is backslash-escaped. An underscore inside a word stays: it cannot start
 * emphasis.
 */
export function inertMarkdown(text: string): string {
  return inert(text)
    .replace(/[&<>|@]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*[\]~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`);
}

/** GitHub workflow command data: GitHub's own escapes (%, CR, LF), then inert for every other control. */
export function workflowData(s: string): string {
  return inert(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** A workflow command property value (file, title): as data, plus `:` and `,`. */
export function workflowProperty(s: string): string {
  return workflowData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
