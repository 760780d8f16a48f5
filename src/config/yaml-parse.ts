import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, type Document, type Node } from "../vendor/yaml.js";
import { diagnostic, type Code, type Diagnostic } from "../domain/diagnostic.js";
import { FORBIDDEN_KEYS, JSON_SAFE_INTEGER, STORABLE_TEXT } from "../schema/fields.js";
import { composeFast, fromYamlNode, PARSE_OPTIONS, type ComposeLimits } from "./yaml-compose.js";
import { readLines } from "./yaml-lines.js";
import { positionAt, type YamlDocument } from "./yaml-source.js";
import { appendAll } from "../domain/append.js";

/** Deeper than any sane configuration; stops stack-hungry input before it is converted. */
export const MAX_DEPTH = 64;
/** Total nodes after expanding aliases: yaml's maxAliasCount bounds alias uses, this bounds the blow-up. */
export const MAX_EXPANDED_NODES = 100_000;
/**
 * YAML nodes (scalars, aliases, collection entries) per file and in total,
 * counted by the lexer before anything is parsed: parsing builds a large
 * object per node, so this is what bounds validate's time and memory. The
 * largest real catalog is a few ten thousand nodes; issue #11's 10k-model
 * catalog in one file (well under the size limit) is about 300k.
 */
export const MAX_NODES_PER_FILE = 500_000;
export const MAX_NODES_TOTAL = 1_000_000;
const NODE_TOKENS = new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar", "block-scalar", "alias", "flow-map-start", "flow-seq-start", "seq-item-ind"]);

/** The file's node count, or `limit + 1` as soon as it is over `limit` (the lexer streams; nothing is built). */
export function countYamlNodes(text: string, limit: number): number {
  let n = 0;
  for (const token of new Lexer().lex(text)) {
    if (NODE_TOKENS.has(CST.tokenType(token) ?? "") && ++n > limit) return n;
  }
  return n;
}

const TOO_MANY_NODES = Symbol("too many nodes");

function tooManyNodes(file: string, maxNodes: number): Diagnostic {
  const message =
    maxNodes < MAX_NODES_PER_FILE
      ? `the configuration holds more than ${MAX_NODES_TOTAL} YAML values in all with this file (${maxNodes} were left for it); files are limited to ${MAX_NODES_PER_FILE} values each and ${MAX_NODES_TOTAL} in all`
      : `more than ${maxNodes} YAML values; configuration files are limited to ${MAX_NODES_PER_FILE} values each and ${MAX_NODES_TOTAL} in all`;
  return diagnostic("error", "yaml.too-many-nodes", message, { file, line: 1, col: 1 });
}

/**
 * The file's CST tokens (yaml's Lexer and Parser), with the lexer's node
 * tokens counted on the way (as countYamlNodes counts them); throws
 * TOO_MANY_NODES as soon as the count passes `limit`, before the rest of the
 * file is parsed.
 */
function countedTokens(text: string, lineCounter: LineCounter, limit: number): { tokens: CST.Token[]; nodes: number } {
  let nodes = 0;
  const tokens: CST.Token[] = [];
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // what Parser.parse does first
  for (const lexeme of new Lexer().lex(text)) {
    if (NODE_TOKENS.has(CST.tokenType(lexeme) ?? "") && ++nodes > limit) throw TOO_MANY_NODES;
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens, nodes };
}

/** Characters of a file's start whose node density predicts whether the file may pass its limit. */
const SAMPLE_CHARS = 64 * 1024;

/**
 * Whether the file may hold more than `limit` nodes, by the density of its
 * first SAMPLE_CHARS: such a file is counted by the lexer alone before
 * anything is built (composing up to the limit before finding out would cost
 * an oversized file seconds). Only decides the order of the work, never the
 * verdict: a file under the limit is never refused, and one over it always is.
 */
function mayExceed(text: string, limit: number): boolean {
  // Every counted token takes at least one character.
  if (text.length <= limit) return false;
  if (text.length <= SAMPLE_CHARS) return true;
  try {
    const sampled = countYamlNodes(text.slice(0, SAMPLE_CHARS), Number.MAX_SAFE_INTEGER);
    return (sampled * text.length) / SAMPLE_CHARS > 0.75 * limit;
  } catch {
    return true;
  }
}


/** The core schema's own tags; anything else (`!foo`, `!!js/function`, `!!binary`) is rejected. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

export interface ParsedYaml {
  /** Documents that are safe and well-formed; their `value` is set. */
  docs: YamlDocument[];
  diagnostics: Diagnostic[];
  /** Nodes the lexer counted (at most `maxNodes + 1`). */
  nodes: number;
  /** Which way read it: the line reader, composeFast on yaml's CST, or yaml's Composer (the tests check each is taken). */
  reader: "lines" | "cst" | "composer";
}

/** What composeFast leaves to the Composer's path beyond YAML's grammar: everything checkStructure and scalarProblem refuse. */
const GATE: ComposeLimits = {
  maxDepth: MAX_DEPTH,
  scalarProblem: (value, format) => scalarProblem(value, format) !== undefined,
  keyProblem: (key) => keyProblems(key).length > 0,
};

/**
 * Parses every document of one file, turning every YAML problem into a
 * positioned diagnostic. Three ways, fastest first, each giving up on what it
 * does not know to read exactly as yaml does: the line reader (yaml-lines.ts),
 * then composeFast on yaml's CST (yaml-compose.ts), then yaml's Composer,
 * whose documents are checked here. `firstTry` starts further down (the tests
 * hold each way to the Composer's answer).
 */
export function parseYaml(file: string, text: string, maxNodes: number = MAX_NODES_PER_FILE, opts: { firstTry?: ParsedYaml["reader"] } = {}): ParsedYaml {
  const firstTry = opts.firstTry ?? "lines";
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs: YamlDocument[] = [];
  let nodes: number;
  let parsed: Document.Parsed[];
  const failed = (err: unknown): ParsedYaml => {
    // Over the limit after all, or the lexer, parser or composer threw: the same verdicts as counting the whole file first.
    try {
      nodes = countYamlNodes(text, maxNodes);
    } catch {
      nodes = 0; // what the lexer choked on is reported as unparseable
    }
    if (nodes > maxNodes) return { docs, diagnostics: [tooManyNodes(file, maxNodes)], nodes, reader: "composer" };
    diagnostics.push(diagnostic("error", "yaml.unparseable", `YAML could not be parsed: ${firstLine(err)}`, { file, line: 1, col: 1 }));
    return { docs, diagnostics, nodes, reader: "composer" };
  };
  try {
    // A file that may be over its limit is counted by the lexer alone, before any way builds anything.
    if (mayExceed(text, maxNodes)) {
      nodes = countYamlNodes(text, maxNodes);
      if (nodes > maxNodes) return { docs, diagnostics: [tooManyNodes(file, maxNodes)], nodes, reader: "composer" };
    }
  } catch (err) {
    return failed(err);
  }
  if (firstTry === "lines") {
    const read = readLines(text, GATE, maxNodes);
    if (read) {
      lineStarts(text, lineCounter);
      return { docs: read.docs.map(({ root, value }, index) => ({ file, index, root, lineCounter, value })), diagnostics, nodes: read.nodes, reader: "lines" };
    }
  }
  try {
    // Otherwise one pass: the lexer's tokens are counted as the parser consumes
    // them (a separate counting pass over the text cost a tenth of validate).
    const counted = countedTokens(text, lineCounter, maxNodes);
    nodes = counted.nodes;
    const fast = firstTry === "composer" ? undefined : composeFast(counted.tokens, GATE);
    if (fast) return { docs: fast.map(({ root, value }, index) => ({ file, index, root, lineCounter, value })), diagnostics, nodes, reader: "cst" };
    const deep = overlyNested(counted.tokens);
    if (deep) return { docs, diagnostics: [tooDeep(file, lineCounter, deep.offset)], nodes, reader: "composer" };
    parsed = Array.from(new Composer(PARSE_OPTIONS).compose(counted.tokens)) as Document.Parsed[];
  } catch (err) {
    return failed(err);
  }

  parsed.forEach((doc, index) => {
    const problems: Diagnostic[] = [];
    // yaml reports unresolved tags as warnings; here every YAML problem is an error.
    for (const e of [...doc.errors, ...doc.warnings]) {
      problems.push(diagnostic("error", yamlCode(e.code), yamlMessage(e.code, e.message), positionAt(file, lineCounter, e.pos[0])));
    }
    if (problems.length === 0) appendAll(problems, checkStructure(file, doc, lineCounter));
    if (problems.length > 0) {
      appendAll(diagnostics, problems);
      return;
    }
    if (doc.contents === null) return; // an empty document (comments only, trailing `---`)
    try {
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      docs.push({ file, index, root: fromYamlNode(doc.contents, (alias) => alias.resolve(doc)), lineCounter, value });
    } catch (err) {
      const at = doc.contents.range ? positionAt(file, lineCounter, doc.contents.range[0]) : { file, line: 1, col: 1 };
      diagnostics.push(diagnostic("error", "yaml.alias-limit", `YAML aliases expand too much: ${firstLine(err)}`, at));
    }
  });
  return { docs, diagnostics, nodes, reader: "composer" };
}

/** Every line's start, as yaml's Parser reports them to a LineCounter (the line reader has no Parser). */
function lineStarts(text: string, lineCounter: LineCounter) {
  lineCounter.addNewLine(0);
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", nl + 1)) lineCounter.addNewLine(nl + 1);
}

/**
 * Nesting yaml's Composer, which recurses, would meet with a stack overflow
 * (a few thousand levels) and report as an internal error at a position that
 * depends on the stack: such a file is refused before it is composed.
 */
const COMPOSER_SAFE_DEPTH = 1000;

/**
 * When the CST nests deeper than COMPOSER_SAFE_DEPTH anywhere, its first node
 * (in document order) deeper than MAX_DEPTH; found without recursion.
 */
function overlyNested(tokens: readonly CST.Token[]): CST.Token | undefined {
  const stack: [CST.Token, number][] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.type === "document" && t.value) stack.push([t.value, 1]);
  }
  let first: CST.Token | undefined;
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) first ??= token;
    if (depth > COMPOSER_SAFE_DEPTH) return first;
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i]! as { key?: CST.Token | null; value?: CST.Token };
      if (item.value) stack.push([item.value, depth + 1]);
      if (item.key) stack.push([item.key, depth + 1]);
    }
  }
  return undefined;
}

const TOO_DEEP = `nesting deeper than ${MAX_DEPTH} levels; configuration is never this deep`;
const tooDeep = (file: string, lineCounter: LineCounter, offset: number) => diagnostic("error", "yaml.too-deep", TOO_DEEP, positionAt(file, lineCounter, offset));

/** What a mapping key may not be: text no database stores, a prototype key, a merge key. */
function keyProblems(key: string): { code: Code; message: string }[] {
  const out: { code: Code; message: string }[] = [];
  if (!STORABLE_TEXT.test(key)) out.push({ code: "yaml.unstorable-text", message: "key holds a NUL character or an unpaired surrogate, which no database stores" });
  if (FORBIDDEN_KEYS.has(key)) out.push({ code: "yaml.forbidden-key", message: `key \`${key}\` is not allowed (it could alter object prototypes)` });
  if (key === "<<") out.push({ code: "yaml.merge-key", message: "merge keys (`<<`) are not supported; write the fields out" });
  return out;
}

function checkStructure(file: string, doc: Document.Parsed, lineCounter: LineCounter): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (node: Node | null | undefined) =>
    node?.range ? positionAt(file, lineCounter, node.range[0]) : { file, line: 1, col: 1 };
  const expanded = new Map<unknown, number>();
  // Running count of values with aliases expanded, and the alias that first crossed the cap.
  let total = 0;
  let bombAt: Node | undefined;

  // Returns the node count with aliases expanded; stops descending once something is wrong.
  const walk = (node: unknown, depth: number): number => {
    if (out.length > 20) return 1;
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 1;
      const known = expanded.get(target);
      if (known !== undefined) {
        total += known;
        if (total > MAX_EXPANDED_NODES && !bombAt) bombAt = node;
        return known;
      }
      expanded.set(target, 1); // an alias inside its own anchor counts once, not forever
      return 1;
    }
    const n = node as Node;
    if (isScalar(n)) {
      const problem = scalarProblem(n.value, n.format);
      if (problem) out.push(diagnostic("error", problem.code, problem.message, at(n)));
    }
    if (n.tag && !CORE_TAGS.has(n.tag)) {
      out.push(diagnostic("error", "yaml.custom-tag", `custom YAML tag \`${shortTag(n.tag)}\` is not allowed; write plain values`, at(n)));
      return 1;
    }
    if (depth > MAX_DEPTH) {
      out.push(diagnostic("error", "yaml.too-deep", TOO_DEEP, at(n)));
      return 1;
    }
    let size = 1;
    total += 1;
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isScalar(pair.key)) {
          if (pair.key !== null) out.push(diagnostic("error", "yaml.complex-key", "mapping keys must be plain strings", at(pair.key as Node)));
          continue;
        }
        const key = String(pair.key.value);
        for (const p of keyProblems(key)) out.push(diagnostic("error", p.code, p.message, at(pair.key)));
        if (pair.key.tag && !CORE_TAGS.has(pair.key.tag)) {
          out.push(diagnostic("error", "yaml.custom-tag", `custom YAML tag \`${shortTag(pair.key.tag)}\` is not allowed; write plain values`, at(pair.key)));
        }
        size += walk(pair.value, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) size += walk(item, depth + 1);
    } else if (isPair(n)) {
      size += walk(n.value, depth + 1);
    }
    if (n.anchor) expanded.set(n, size);
    return size;
  };

  // An alias can only follow its anchor, so each anchor's expanded size is known when an alias meets it.
  walk(doc.contents, 1);
  if (out.length === 0 && bombAt) {
    out.push(
      diagnostic("error", "yaml.alias-bomb", `YAML aliases expand to more than ${MAX_EXPANDED_NODES} values (an "alias bomb"); remove the aliases`, at(bombAt)),
    );
  }
  return out;
}

/**
 * What no consumer can hold, whatever the field: numbers that are not finite
 * (`.inf`, `.nan`: JSON has no such value and a database stores them as
 * null), integers a JSON reader cannot read back exactly, numbers not in
 * decimal notation, strings with a NUL or an unpaired surrogate.
 */
function scalarProblem(v: unknown, format: string | undefined): { code: Code; message: string } | undefined {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { code: "yaml.non-finite-number", message: "`.inf` and `.nan` are not values any database or JSON reader holds; write a finite number" };
    if (format === "HEX" || format === "OCT") return { code: "yaml.number-notation", message: "write numbers in decimal notation (hexadecimal and octal are not allowed)" };
    if (Number.isInteger(v) && (v > JSON_SAFE_INTEGER.max || v < JSON_SAFE_INTEGER.min)) {
      return { code: "yaml.unsafe-integer", message: "integer beyond ±2^53 cannot be read back exactly; write it as a string" };
    }
  } else if (typeof v === "bigint") {
    return { code: "yaml.unsafe-integer", message: "integer beyond ±2^53 cannot be read back exactly; write it as a string" };
  } else if (typeof v === "string" && !STORABLE_TEXT.test(v)) {
    return { code: "yaml.unstorable-text", message: "text holds a NUL character or an unpaired surrogate, which no database stores" };
  }
  return undefined;
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.slice("tag:yaml.org,2002:".length) : tag;
}

function yamlCode(code: string): Code {
  return code === "DUPLICATE_KEY" ? "yaml.duplicate-key" : code === "TAG_RESOLVE_FAILED" ? "yaml.custom-tag" : "yaml.syntax";
}

/** yaml's messages end with a source excerpt; drop it (the excerpt could hold a secret). */
function yamlMessage(code: string, message: string): string {
  const text = message.split(/ at line \d+, column \d+/)[0]!.trim();
  if (code === "DUPLICATE_KEY") return "duplicate key: a mapping may hold each key once";
  if (code === "TAG_RESOLVE_FAILED") {
    const tag = text.replace(/^Unresolved tag:\s*/, "");
    return `custom YAML tag \`${shortTag(tag)}\` is not allowed; write plain values`;
  }
  return `YAML syntax error: ${text}`;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split("\n")[0]!.split(/ at line \d+/)[0]!;
}
