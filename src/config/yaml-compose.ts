import { CST, Document, isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Node, type Pair, type ScalarTag } from "../vendor/yaml.js";
import type { SourceMap, SourceNode, SourceScalar, SourceSeq } from "./yaml-source.js";

/*
 * Documents from yaml's CST, without yaml's Composer, for the YAML that
 * configuration is written in: block mappings and sequences, flow `{}` and
 * `[]`, plain, quoted and block scalars, comments. The Composer builds a node
 * object per value and checks a grammar far larger than this; it was a third
 * of every command's parse. Here the plain value and its source offsets are
 * built in one walk.
 *
 * Never a second opinion: scalars are resolved by yaml's own functions and
 * its core schema's own tags, and anything this walk does not know to be
 * exactly what the Composer accepts (anchors, aliases, tags, explicit `?`
 * keys, tabs, comments inside flow collections, keys that are not strings,
 * duplicate or forbidden keys, a value the gate refuses, any token it does
 * not expect) gives up on the whole file: the caller then composes it with
 * yaml's Composer and checks it as before, so every verdict and message is
 * the Composer's. test/config/yaml-compose.test.ts holds the two to the same
 * result on generated and real files.
 */

/** A YAML construct a fast way leaves to yaml's Composer (thrown, and caught where the fast way starts). */
export const GIVE_UP = Symbol("give up");
export const giveUp = (): never => {
  throw GIVE_UP;
};

export interface ComposedDocument {
  root: SourceNode;
  value: unknown;
  /**
   * Where the empty value this node ends with is (`key:` and nothing, as its
   * last entry, however deep): yaml measures the next key's 1024 characters
   * from there, blank lines included.
   */
  emptyEnd?: number;
}

/**
 * The most characters from where yaml starts an implicit key (its first
 * character, or the empty value before it) to its `:` that a fast way reads;
 * yaml refuses more than 1024. Half of that: no key written by hand is near
 * it, and where yaml starts counting is only ever bounded from below here.
 */
export const KEY_SPAN = 512;

/** What the walk refuses beyond YAML's grammar, so the Composer's path reports it (see yaml-parse.ts). */
export interface ComposeLimits {
  maxDepth: number;
  /** A scalar value no consumer can hold (non-finite, unsafe integer, unstorable text, hex or octal). */
  scalarProblem(value: unknown, format: string | undefined): boolean;
  /** A key that is not allowed (unstorable text, prototype keys, merge keys). */
  keyProblem(key: string): boolean;
}

/**
 * The documents of a whole stream of CST tokens, or undefined when any part
 * of it is outside what this walk composes (then the caller uses yaml's
 * Composer on the same tokens).
 */
export function composeFast(tokens: readonly CST.Token[], limits: ComposeLimits): ComposedDocument[] | undefined {
  try {
    const docs: ComposedDocument[] = [];
    for (const token of tokens) {
      if (token.type === "document") docs.push(composeDocument(token, limits));
      else if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") return undefined;
    }
    return docs.length ? docs : undefined;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/** How every configuration file is composed, either way. */
export const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

/** The Composer's schema: its core tags in its order, and its options (what a scalar resolves with). */
let reference: { tags: ScalarTag[]; str: ScalarTag; options: Document["options"] } | undefined;
function schema() {
  if (!reference) {
    const doc = new Document(undefined, PARSE_OPTIONS);
    const tags = doc.schema.tags.filter((t): t is ScalarTag => !("collection" in t && t.collection));
    const str = tags.find((t) => t.tag === "tag:yaml.org,2002:str")!;
    reference = { tags, str, options: doc.options };
  }
  return reference;
}

/** resolveProps of the Composer for the tokens this walk allows before a node: spaces, newlines, comments, one indicator. */
function props(tokens: readonly CST.SourceToken[] | undefined, indicator: string, startOnNewline: boolean, offset: number, flow: boolean) {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let found: CST.SourceToken | undefined;
  let comma = false;
  if (tokens) {
    for (const token of tokens) {
      switch (token.type) {
        case "space":
          if (token.source.includes("\t")) giveUp();
          hasSpace = true;
          break;
        case "newline":
          hasNewline = hasSpace = true;
          break;
        case "comment":
          if (!hasSpace || flow) giveUp();
          break;
        case "comma":
          if (!flow || comma) giveUp();
          comma = true;
          hasSpace = false;
          break;
        default:
          if (token.type !== indicator || found) giveUp();
          found = token;
          hasSpace = false;
      }
    }
  }
  const last = tokens?.[tokens.length - 1];
  return { found, hasNewline, comma, end: last ? last.offset + last.source.length : offset };
}

function composeDocument(token: CST.Document, limits: ComposeLimits): ComposedDocument {
  const { value, end } = token;
  if (!value) giveUp();
  const start = props(token.start, "doc-start", true, token.offset, false);
  if (start.found && (value!.type === "block-map" || value!.type === "block-seq") && !start.hasNewline) giveUp();
  for (const t of end ?? []) if (t.type !== "space" && t.type !== "newline" && t.type !== "comment") giveUp();
  return node(value!, limits, 1);
}

function node(token: CST.Token, limits: ComposeLimits, depth: number): ComposedDocument {
  if (depth > limits.maxDepth) giveUp();
  switch (token.type) {
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "block-scalar": {
      const root = scalar(token, limits, false);
      return { root, value: root.value };
    }
    case "block-map":
      return blockMap(token, limits, depth);
    case "block-seq":
      return blockSeq(token, limits, depth);
    case "flow-collection":
      return flowCollection(token, limits, depth);
    default:
      return giveUp();
  }
}

/** A scalar token as the Composer resolves it (the line reader hands in the quoted ones it finds). */
export function scalar(token: CST.FlowScalar | CST.BlockScalar, limits: ComposeLimits, atKey: boolean): SourceScalar {
  const resolved = CST.resolveAsScalar(token, true, giveUp);
  if (!resolved) return giveUp();
  const text = resolved.value;
  // Quoted and block scalars are strings; a plain one is what the core schema's tags make of it.
  if (token.type !== "scalar" && limits.scalarProblem(text, undefined)) giveUp();
  const value = token.type === "scalar" ? resolvePlainScalar(text, atKey, limits) : text;
  return { kind: "scalar", start: resolved.range[0], end: resolved.range[1], value, source: text };
}

/**
 * A plain scalar's value as the Composer resolves it (findScalarTagByTest):
 * the first default tag of the core schema whose test matches, else a string.
 * Gives up on what the gate refuses.
 */
export function resolvePlainScalar(text: string, atKey: boolean, limits: ComposeLimits): unknown {
  const { tags, str, options } = schema();
  const tag = tags.find((t) => (t.default === true || (atKey && t.default === "key")) && t.test?.test(text)) ?? str;
  const resolved = tag.resolve(text, giveUp, options);
  // null and bool resolve to Scalar objects, as the Composer unwraps them.
  const value: unknown = isScalar(resolved) ? resolved.value : resolved;
  if ((typeof value === "object" && value !== null) || limits.scalarProblem(value, tag.format)) giveUp();
  return value;
}

const isFlowScalar = (t: CST.Token | null | undefined): t is CST.FlowScalar =>
  t?.type === "scalar" || t?.type === "single-quoted-scalar" || t?.type === "double-quoted-scalar";

/** A mapping key: a one-line flow scalar that resolves to an allowed string, not yet in the mapping. */
function key(token: CST.Token | null | undefined, limits: ComposeLimits, seen: Set<string>): SourceScalar {
  if (!isFlowScalar(token) || token.source.includes("\n") || token.end?.some((t) => t.type === "newline")) return giveUp();
  return newKey(scalar(token, limits, true), limits, seen);
}

/**
 * A mapping key read as yaml reads it, once a fast way has resolved it: a
 * string the gate allows and its mapping does not hold yet (recorded in
 * `seen`). Gives up on any other: yaml's path decides and reports.
 */
export function newKey(key: SourceScalar, limits: ComposeLimits, seen: Set<string>): SourceScalar {
  if (typeof key.value !== "string" || seen.has(key.value) || limits.keyProblem(key.value)) giveUp();
  seen.add(key.value as string);
  return key;
}

/** An empty value (`key:` with nothing after it) is null, as the Composer's empty scalar. */
export const empty = (at: number): SourceScalar => ({ kind: "scalar", start: at, end: at, value: null, source: "" });

function blockMap(token: CST.BlockMap, limits: ComposeLimits, depth: number): ComposedDocument {
  const pairs: SourceMap["pairs"] = [];
  const value: Record<string, unknown> = {};
  const seen = new Set<string>();
  const items = token.items;
  let emptyEnd: number | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const keyProps = props(item.start, "explicit-key-ind", true, token.offset, false);
    if (keyProps.found || item.explicitKey) giveUp();
    if (!item.key && !item.sep && !item.value) {
      // Comments after the last entry; anywhere else the Composer has its own view of them.
      if (i !== items.length - 1) giveUp();
      continue;
    }
    if (!item.sep || (item.key && "indent" in item.key && item.key.indent !== token.indent)) giveUp();
    const k = key(item.key, limits, seen);
    const valueProps = props(item.sep, "map-value-ind", false, k.end, false);
    if (!valueProps.found) return giveUp();
    const colon = valueProps.found.offset;
    if (colon - k.start > KEY_SPAN || (emptyEnd !== undefined && colon - emptyEnd > KEY_SPAN)) giveUp();
    const v = item.value;
    if ((v?.type === "block-map" || v?.type === "block-seq") && !valueProps.hasNewline) giveUp();
    // An empty value is a null node one level down, where the depth limit holds as for any other.
    if (!v && depth + 1 > limits.maxDepth) giveUp();
    const composed = v ? node(v, limits, depth + 1) : { root: empty(valueProps.end), value: null, emptyEnd: colon };
    pairs.push({ key: k, value: composed.root });
    value[k.value as string] = composed.value;
    emptyEnd = composed.emptyEnd;
  }
  return { root: { kind: "map", start: token.offset, pairs }, value, emptyEnd };
}

function blockSeq(token: CST.BlockSequence, limits: ComposeLimits, depth: number): ComposedDocument {
  const items: SourceSeq["items"] = [];
  const value: unknown[] = [];
  let emptyEnd: number | undefined;
  for (let i = 0; i < token.items.length; i++) {
    const item = token.items[i]!;
    const itemProps = props(item.start, "seq-item-ind", true, token.offset, false);
    if (!itemProps.found) {
      if (item.value || i !== token.items.length - 1) giveUp();
      continue;
    }
    if (!item.value || item.value.type === "block-seq") giveUp();
    const composed = node(item.value!, limits, depth + 1);
    items.push(composed.root);
    value.push(composed.value);
    emptyEnd = composed.emptyEnd;
  }
  return { root: { kind: "seq", start: token.offset, items }, value, emptyEnd };
}

function flowCollection(token: CST.FlowCollection, limits: ComposeLimits, depth: number): ComposedDocument {
  const isMap = token.start.source === "{";
  const pairs: SourceMap["pairs"] = [];
  const items: SourceSeq["items"] = [];
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  const seen = new Set<string>();
  const last = token.items.length - 1;
  token.items.forEach((item, i) => {
    const itemProps = props(item.start, "explicit-key-ind", false, token.offset, true);
    if (itemProps.found) giveUp();
    if (i === 0 ? itemProps.comma : !itemProps.comma) giveUp();
    if (!item.key && !item.sep && !item.value) {
      // A trailing comma: `[a, b, ]`.
      if (i !== last || i === 0) giveUp();
      return;
    }
    const v = item.value;
    if (!v || !(isFlowScalar(v) || v.type === "flow-collection")) giveUp();
    if (isMap) {
      const k = key(item.key, limits, seen);
      const valueProps = props(item.sep, "map-value-ind", false, k.end, true);
      if (!valueProps.found || valueProps.comma) giveUp();
      const composed = node(v!, limits, depth + 1);
      pairs.push({ key: k, value: composed.root });
      map[k.value as string] = composed.value;
    } else {
      if (item.key || item.sep) giveUp(); // `[a: b]`, a pair in a sequence
      const composed = node(v!, limits, depth + 1);
      items.push(composed.root);
      list.push(composed.value);
    }
  });
  const [close, ...after] = token.end;
  if (close?.source !== (isMap ? "}" : "]")) giveUp();
  // resolveEnd, strict: a comment after the closing bracket is separated by white space.
  let spaced = false;
  for (const t of after) {
    if (t.type === "space" || t.type === "newline") spaced = true;
    else if (t.type !== "comment" || !spaced) giveUp();
  }
  return isMap ? { root: { kind: "map", start: token.offset, pairs }, value: map } : { root: { kind: "seq", start: token.offset, items }, value: list };
}

/**
 * The SourceNode tree of a document yaml's Composer built (and the checks in
 * yaml-parse.ts passed): what the rest of the loader reads, whichever way the
 * file was composed. An alias keeps pointing at its anchored node.
 */
export function fromYamlNode(contents: unknown, resolveAlias: (alias: Alias) => unknown): SourceNode {
  const converted = new Map<unknown, SourceNode>();
  /** A key as locate and the plain value name it: its text. */
  const keyOf = (k: unknown): SourceScalar => {
    const written = isAlias(k) ? resolveAlias(k) : k;
    const range = (k as Node | null)?.range;
    const text = String(isScalar(written) ? written.value : written);
    return { kind: "scalar", start: range?.[0] ?? 0, end: range?.[1] ?? 0, value: text, source: text };
  };
  const convert = (n: unknown): SourceNode => {
    if (isAlias(n)) {
      const target = resolveAlias(n);
      return { kind: "alias", start: n.range?.[0] ?? 0, target: converted.get(target) ?? convert(target) };
    }
    let out: SourceNode;
    if (isScalar(n)) {
      out = { kind: "scalar", start: n.range?.[0] ?? 0, end: n.range?.[1] ?? 0, value: n.value, source: typeof n.source === "string" ? n.source : String(n.value) };
    } else if (isMap(n) || isPair(n)) {
      const list = isPair(n) ? [n] : (n.items as Pair[]);
      const pairs = list.map((p) => ({ key: keyOf(p.key), value: p.value === null || p.value === undefined ? empty((p.key as Node | null)?.range?.[1] ?? 0) : convert(p.value) }));
      out = { kind: "map", start: (n as Node).range?.[0] ?? pairs[0]?.key.start ?? 0, pairs };
    } else if (isSeq(n)) {
      out = { kind: "seq", start: n.range?.[0] ?? 0, items: n.items.map(convert) };
    } else {
      out = empty(0);
    }
    converted.set(n, out);
    return out;
  };
  return convert(contents);
}
