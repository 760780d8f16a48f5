import type { LineCounter } from "../vendor/yaml.js";
import type { SourceRef } from "../domain/diagnostic.js";

export type Path = readonly (string | number)[];

/*
 * A parsed document's shape with source offsets: what is needed to point back
 * into its file (a diagnostic's line and column, a number as written, the raw
 * text of a string). Lighter than yaml's node classes, and the same whichever
 * way the file was composed (yaml-compose.ts's fast path or yaml's Composer).
 */
export type SourceNode = SourceScalar | SourceMap | SourceSeq | SourceAlias;

export interface SourceScalar {
  kind: "scalar";
  /** Offset of the value's first character, and just past its last (equal for an empty value: `key:`). */
  start: number;
  end: number;
  value: unknown;
  /** The scalar's text after YAML's quoting and folding (`2.50` for the number 2.5). */
  source: string;
}
export interface SourceMap {
  kind: "map";
  start: number;
  /** In written order; keys are the strings the plain value has. */
  pairs: SourcePair[];
}
export interface SourcePair {
  key: SourceScalar;
  value: SourceNode;
}
export interface SourceSeq {
  kind: "seq";
  start: number;
  items: SourceNode[];
}
/** `*name`: the node its anchor names (a later use of an anchored node). */
export interface SourceAlias {
  kind: "alias";
  start: number;
  target: SourceNode;
}

/** One parsed YAML document with what is needed to point back into its file. */
export interface YamlDocument {
  file: string;
  /** 0-based position of the document in its file (several documents per file, `---`). */
  index: number;
  root: SourceNode;
  lineCounter: LineCounter;
  /** The plain JS value (safe: checked before conversion). */
  value: unknown;
}

export function positionAt(file: string, lineCounter: LineCounter, offset: number): SourceRef {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col };
}

/** Where the document's content starts (its first key). */
export function documentStart(d: YamlDocument): SourceRef {
  return positionAt(d.file, d.lineCounter, d.root.start);
}

const resolved = (node: SourceNode | undefined): SourceNode | undefined => (node?.kind === "alias" ? node.target : node);
const isEmpty = (node: SourceNode) => node.kind === "scalar" && node.value === null && node.start === node.end;
const pairOf = (map: SourceMap, key: string) => map.pairs.find((p) => p.key.value === key);

/**
 * Source position of the value at `path` (or of its key, for "unknown field"
 * errors). Walks as far as the path exists: a missing leaf points at its parent.
 */
export function locate(d: YamlDocument, path: Path, part: "value" | "key" = "value"): SourceRef {
  let node = resolved(d.root);
  let best = documentStart(d);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (node?.kind === "map") {
      const pair = pairOf(node, String(seg));
      if (!pair) return best;
      best = positionAt(d.file, d.lineCounter, pair.key.start);
      if (i === path.length - 1 && part === "key") return best;
      node = pair.value;
    } else if (node?.kind === "seq" && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return best;
    }
    if (node && !isEmpty(node)) best = positionAt(d.file, d.lineCounter, node.start);
    node = resolved(node);
  }
  return best;
}

/** The node written at `path` (aliases resolved), or undefined. */
export function nodeAt(d: YamlDocument, path: Path): SourceNode | undefined {
  let node = resolved(d.root);
  for (const seg of path) {
    if (node?.kind === "map") node = pairOf(node, String(seg))?.value;
    else if (node?.kind === "seq" && typeof seg === "number") node = node.items[seg];
    else return undefined;
    node = resolved(node);
  }
  return node;
}

/**
 * locate(d, [...path, key]) for every key of the mapping at `path`, walking to
 * the mapping once: a 10k-model catalog has 100k written fields, and walking
 * from the document root for each cost a tenth of a plan.
 */
export function locateFields(d: YamlDocument, path: Path): Map<string, SourceRef> {
  const out = new Map<string, SourceRef>();
  const node = nodeAt(d, path);
  if (node?.kind !== "map") return out;
  for (const { key, value } of node.pairs) {
    const name = key.value as string;
    if (out.has(name)) continue; // the first pair wins, as in locate
    out.set(name, positionAt(d.file, d.lineCounter, isEmpty(value) ? key.start : value.start));
  }
  return out;
}

/**
 * A number exactly as the author wrote it: the scalar's source text
 * (`12345678.123456789`, `1e-20`, `0x10`), never the JS float it parsed to.
 */
export function writtenNumber(d: YamlDocument, path: Path, value: number): string {
  const node = nodeAt(d, path);
  return node?.kind === "scalar" && node.value === value ? node.source : String(value);
}
