import { empty, GIVE_UP, giveUp, KEY_SPAN, newKey, resolvePlainScalar, scalar, type ComposeLimits, type ComposedDocument } from "./yaml-compose.js";
import type { SourceMap, SourceNode, SourceScalar } from "./yaml-source.js";

/*
 * Configuration YAML read line by line, without yaml's Lexer and Parser: the
 * shape nearly every configuration file has (one document of block mappings
 * and sequences, one-line scalars and flow collections, comments), read in
 * one pass over the text. yaml's Lexer and Parser were two thirds of every
 * command's parse.
 *
 * Like composeFast, it never answers differently from yaml: a plain scalar
 * resolves by yaml's own core schema tags and a quoted one by yaml's own
 * function, and on anything outside that shape (a tab, `\r`, a document
 * marker, a block scalar, a multi-line scalar, an anchor, a tag, a key that
 * is not a string, a duplicate or forbidden key, indentation it does not
 * expect, a value the gate refuses) it gives up and the caller reads the
 * file with yaml (yaml-parse.ts). test/config/yaml-compose.test.ts holds
 * both fast ways to the Composer's answer.
 */

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;

/**
 * Characters the line reader leaves to yaml wherever they are: controls
 * (tab, `\r`, NUL, C1), the byte order mark, Unicode line breaks and
 * surrogates (the gate's own checks on unpaired ones run on yaml's path).
 */
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

/** First characters of a plain scalar that YAML gives another meaning (or reserves). */
const INDICATOR = new Set([..."-?:,[]{}#&*!|>'\"%@`"].map((c) => c.charCodeAt(0)));

/** Flow indicators: a key holding one is left to yaml. */
const FLOW_INDICATOR = new Set([..."[]{},"].map((c) => c.charCodeAt(0)));

export interface LinesResult {
  docs: ComposedDocument[];
  /** What yaml's lexer counts as nodes (see yaml-parse.ts's NODE_TOKENS), so limits give the same verdict. */
  nodes: number;
}

/** The file's one document, or undefined when it is not written in the shape this reader knows. */
export function readLines(text: string, limits: ComposeLimits, maxNodes: number): LinesResult | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    const reader = new LineReader(text, limits, maxNodes);
    const doc = reader.document();
    return { docs: [doc], nodes: reader.nodes };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class LineReader {
  nodes = 0;
  /** The current content line: where it starts, its indentation, where its content starts and where it ends (its `\n`). */
  private line = 0;
  private indent = 0;
  private content = 0;
  private end = 0;

  constructor(
    private readonly text: string,
    private readonly limits: ComposeLimits,
    private readonly maxNodes: number,
  ) {
    this.seek(0);
  }

  document(): ComposedDocument {
    if (this.atEnd() || this.indent !== 0) giveUp();
    const doc = this.block(0, 1);
    if (!this.atEnd()) giveUp(); // content left over at a lower indentation
    return doc;
  }

  private atEnd() {
    return this.content >= this.text.length;
  }

  /** Moves to the first content line at or after `from`: blank lines and whole-line comments are skipped. */
  private seek(from: number) {
    const text = this.text;
    let at = from;
    while (at < text.length) {
      let end = text.indexOf("\n", at);
      if (end === -1) end = text.length;
      let c = at;
      while (c < end && text.charCodeAt(c) === SPACE) c++;
      if (c < end && text.charCodeAt(c) !== HASH) {
        // A document marker or a directive is left to yaml.
        if (c === at && (text.startsWith("---", c) || text.startsWith("...", c) || text.charCodeAt(c) === 0x25)) giveUp();
        this.line = at;
        this.indent = c - at;
        this.content = c;
        this.end = end;
        return;
      }
      at = end + 1;
    }
    this.line = this.content = this.end = text.length;
    this.indent = -1;
  }

  private nextLine() {
    this.seek(this.end + 1);
  }

  private count(n = 1) {
    if ((this.nodes += n) > this.maxNodes) giveUp();
  }

  /** A block mapping or sequence whose first line is the current one, at `indent`. */
  private block(indent: number, depth: number): ComposedDocument {
    if (depth > this.limits.maxDepth) giveUp();
    return this.isSeqItem(this.content) ? this.sequence(indent, depth) : this.mapping(indent, this.content, depth);
  }

  private isSeqItem(at: number) {
    const next = this.text.charCodeAt(at + 1);
    return this.text.charCodeAt(at) === DASH && (next === SPACE || at + 1 >= this.end);
  }

  /** `- item` lines at `indent`. */
  private sequence(indent: number, depth: number): ComposedDocument {
    const start = this.content;
    const items: SourceNode[] = [];
    const value: unknown[] = [];
    let emptyEnd: number | undefined;
    while (!this.atEnd() && this.indent === indent && this.isSeqItem(this.content)) {
      this.count();
      let at = this.content + 1;
      while (at < this.end && this.text.charCodeAt(at) === SPACE) at++;
      // `-` alone, `- - x` and `- # comment` start nested blocks yaml reads its own way.
      if (at >= this.end || this.isSeqItem(at) || this.text.charCodeAt(at) === HASH) giveUp();
      const item = this.entryStarts(at) ? this.mapping(at - this.line, at, depth + 1) : this.lineValue(at, depth + 1);
      items.push(item.root);
      value.push(item.value);
      emptyEnd = item.emptyEnd;
    }
    if (!this.atEnd() && this.indent > indent) giveUp();
    return { root: { kind: "seq", start, items }, value, emptyEnd };
  }

  /** Whether a mapping entry (`key: ...`) starts at `at`. */
  private entryStarts(at: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) return false;
    if (c === 0x27 || c === 0x22) {
      const close = this.quoteEnd(at);
      return this.text.charCodeAt(close) === COLON;
    }
    return this.keyColon(at) !== -1;
  }

  /** The `:` ending a plain key that starts at `at` (followed by a space or the line's end), or -1. */
  private keyColon(at: number): number {
    const text = this.text;
    for (let i = at; i < this.end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const next = text.charCodeAt(i + 1);
        if (next === SPACE || i + 1 >= this.end) return i;
      } else if ((c === HASH && text.charCodeAt(i - 1) === SPACE) || FLOW_INDICATOR.has(c)) return -1;
    }
    return -1;
  }

  /** Entries `key: value` at column `indent`, the first starting at `first` (mid-line after `- `). */
  private mapping(indent: number, first: number, depth: number): ComposedDocument {
    if (depth > this.limits.maxDepth) giveUp();
    const pairs: SourceMap["pairs"] = [];
    const value: Record<string, unknown> = {};
    const seen = new Set<string>();
    let at = first;
    let emptyEnd: number | undefined;
    for (;;) {
      const key = this.key(at, seen);
      if (emptyEnd !== undefined && key.colon - emptyEnd > KEY_SPAN) giveUp();
      let v = this.text.charCodeAt(key.colon + 1) === SPACE ? key.colon + 2 : key.colon + 1;
      while (v < this.end && this.text.charCodeAt(v) === SPACE) v++;
      let composed: ComposedDocument;
      if (v < this.end && this.text.charCodeAt(v) !== HASH) {
        composed = this.lineValue(v, depth + 1);
      } else {
        // Nothing after the colon: a block on the next lines, or an empty value.
        const after = this.end;
        this.nextLine();
        if (!this.atEnd() && (this.indent > indent || (this.indent === indent && this.isSeqItem(this.content)))) {
          composed = this.block(this.indent, depth + 1);
        } else {
          // An empty value is a null node one level down, where the depth limit holds as for any other.
          if (depth + 1 > this.limits.maxDepth) giveUp();
          composed = { root: empty(after), value: null, emptyEnd: key.colon };
        }
      }
      pairs.push({ key: key.node, value: composed.root });
      value[key.node.value as string] = composed.value;
      emptyEnd = composed.emptyEnd;
      if (this.atEnd() || this.indent < indent) break;
      if (this.indent > indent || this.isSeqItem(this.content)) giveUp();
      at = this.content;
    }
    return { root: { kind: "map", start: first, pairs }, value, emptyEnd };
  }

  /** A one-line key at `at` and the colon after it. */
  private key(at: number, seen: Set<string>): { node: SourceScalar; colon: number } {
    const c = this.text.charCodeAt(at);
    let node: SourceScalar;
    let colon: number;
    if (c === 0x27 || c === 0x22) {
      const close = this.quoteEnd(at);
      if (close - at > KEY_SPAN) giveUp();
      node = this.quoted(at, close);
      colon = close;
      if (this.text.charCodeAt(colon) !== COLON) giveUp();
      const next = this.text.charCodeAt(colon + 1);
      if (colon + 1 < this.end && next !== SPACE) giveUp();
    } else {
      colon = this.keyColon(at);
      if (colon === -1 || colon - at > KEY_SPAN) giveUp();
      let end = colon;
      while (this.text.charCodeAt(end - 1) === SPACE) end--;
      node = this.plain(at, end, true);
    }
    return { node: newKey(node, this.limits, seen), colon };
  }

  /** A value that ends with its line: a scalar or a flow collection, then at most a comment. Moves to the next line. */
  private lineValue(at: number, depth: number): ComposedDocument {
    if (depth > this.limits.maxDepth) giveUp();
    const c = this.text.charCodeAt(at);
    let composed: ComposedDocument;
    let after: number;
    if (c === 0x5b || c === 0x7b) {
      const flow = this.flow(at, depth);
      composed = flow;
      after = flow.end;
    } else if (c === 0x27 || c === 0x22) {
      after = this.quoteEnd(at);
      const node = this.quoted(at, after);
      composed = { root: node, value: node.value };
    } else {
      let end = at;
      const text = this.text;
      // A plain scalar runs to a comment or the line's end; `: ` in it is a nested mapping yaml refuses here.
      while (end < this.end && !(text.charCodeAt(end) === HASH && text.charCodeAt(end - 1) === SPACE)) {
        if (text.charCodeAt(end) === COLON && (end + 1 >= this.end || text.charCodeAt(end + 1) === SPACE)) giveUp();
        end++;
      }
      after = end;
      while (text.charCodeAt(end - 1) === SPACE) end--;
      const node = this.plain(at, end, false);
      composed = { root: node, value: node.value };
    }
    this.lineEnd(after);
    this.nextLine();
    return composed;
  }

  /** After a value: spaces, then the line's end or a comment. */
  private lineEnd(at: number) {
    let i = at;
    while (i < this.end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < this.end && !(this.text.charCodeAt(i) === HASH && this.text.charCodeAt(i - 1) === SPACE)) giveUp();
  }

  /** A plain scalar's text [start, end), resolved by the core schema. */
  private plain(start: number, end: number, atKey: boolean): SourceScalar {
    const text = this.text;
    if (end <= start) giveUp();
    const first = text.charCodeAt(start);
    if (INDICATOR.has(first)) {
      // `-1`, `-.5`: a sign is a plain scalar's start; every other indicator is left to yaml.
      const second = text.charCodeAt(start + 1);
      if (!(first === DASH && ((second >= 0x30 && second <= 0x39) || second === 0x2e))) giveUp();
    }
    this.count();
    const source = text.slice(start, end);
    const value = resolvePlainScalar(source, atKey, this.limits);
    return { kind: "scalar", start, end, value, source };
  }

  /** Just past the closing quote of the quoted scalar at `at`, on the same line. */
  private quoteEnd(at: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < this.end; i++) {
      const c = text.charCodeAt(i);
      if (quote === 0x22 && c === 0x5c) i++; // `\"` and `\\`
      else if (c === quote) {
        if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++; // `''`
        else return i + 1;
      }
    }
    return giveUp();
  }

  /** The quoted scalar [start, end), resolved by yaml's own function. */
  private quoted(start: number, end: number): SourceScalar {
    this.count();
    const type = this.text.charCodeAt(start) === 0x22 ? "double-quoted-scalar" : "single-quoted-scalar";
    return scalar({ type, offset: start, indent: 0, source: this.text.slice(start, end) }, this.limits, false);
  }

  /** A one-line flow collection at `at`: `[a, b]`, `{ k: v }`, nested. `end` is just past its closing bracket. */
  private flow(at: number, depth: number): ComposedDocument & { end: number } {
    if (depth > this.limits.maxDepth) giveUp();
    const text = this.text;
    const isMap = text.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    this.count();
    const skip = (i: number) => {
      while (i < this.end && text.charCodeAt(i) === SPACE) i++;
      return i;
    };
    const pairs: SourceMap["pairs"] = [];
    const items: SourceNode[] = [];
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    const seen = new Set<string>();
    let i = skip(at + 1);
    if (text.charCodeAt(i) !== close) {
      for (;;) {
        if (isMap) {
          const k = this.flowScalar(i, true);
          const key = newKey(k.node, this.limits, seen);
          // `key: value`; `{a}` and `{a: }` are left to yaml.
          if (text.charCodeAt(k.end) !== COLON || text.charCodeAt(k.end + 1) !== SPACE) giveUp();
          const v = this.flowValue(skip(k.end + 1), depth + 1);
          pairs.push({ key, value: v.root });
          map[key.value as string] = v.value;
          i = skip(v.end);
        } else {
          const v = this.flowValue(i, depth + 1);
          items.push(v.root);
          list.push(v.value);
          i = skip(v.end);
        }
        const c = text.charCodeAt(i);
        if (c === close) break;
        if (c !== COMMA) giveUp();
        i = skip(i + 1);
        if (text.charCodeAt(i) === close || i >= this.end) giveUp(); // `[a, ]`, or continued on the next line
      }
    }
    const root: SourceNode = isMap ? { kind: "map", start: at, pairs } : { kind: "seq", start: at, items };
    return { root, value: isMap ? map : list, end: i + 1 };
  }

  private flowValue(at: number, depth: number): ComposedDocument & { end: number } {
    if (depth > this.limits.maxDepth) giveUp();
    const c = this.text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) return this.flow(at, depth);
    const s = this.flowScalar(at, false);
    return { root: s.node, value: s.node.value, end: s.end };
  }

  /** A scalar inside a flow collection: quoted, or plain up to `,`, `]`, `}` or a key's `:`. */
  private flowScalar(at: number, atKey: boolean): { node: SourceScalar; end: number } {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 0x27 || c === 0x22) {
      const end = this.quoteEnd(at);
      return { node: this.quoted(at, end), end };
    }
    let end = at;
    for (; end < this.end; end++) {
      const ch = text.charCodeAt(end);
      if (ch === COMMA || ch === 0x5d || ch === 0x7d) break;
      if (ch === COLON) {
        if (atKey) break;
        giveUp();
      }
      // Comments, brackets and quotes inside a flow collection are left to yaml.
      if (ch === HASH || ch === 0x5b || ch === 0x7b || ch === 0x27 || ch === 0x22) giveUp();
    }
    let last = end;
    while (text.charCodeAt(last - 1) === SPACE) last--;
    return { node: this.plain(at, last, atKey), end: last };
  }
}
