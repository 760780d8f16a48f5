import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { SourceRef } from "../domain/diagnostic.js";

export type Path = readonly (string | number)[];

/** One parsed YAML document with what is needed to point back into its file. */
export interface YamlDocument {
  file: string;
  /** 0-based position of the document in its file (several documents per file, `---`). */
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain JS value (safe: checked before conversion). */
  value: unknown;
}

export function positionAt(file: string, lineCounter: LineCounter, offset: number): SourceRef {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col };
}

/** Where the document's content starts (its first key), or line 1. */
export function documentStart(d: YamlDocument): SourceRef {
  const start = d.doc.contents?.range?.[0];
  return start === undefined ? { file: d.file, line: 1, col: 1 } : positionAt(d.file, d.lineCounter, start);
}

/**
 * Source position of the value at `path` (or of its key, for "unknown field"
 * errors). Walks as far as the path exists: a missing leaf points at its parent.
 */
export function locate(d: YamlDocument, path: Path, part: "value" | "key" = "value"): SourceRef {
  let node: unknown = d.doc.contents;
  let best = documentStart(d);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(d.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      const keyNode = pair.key as Node;
      if (keyNode.range) best = positionAt(d.file, d.lineCounter, keyNode.range[0]);
      if (i === path.length - 1 && part === "key") return best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return best;
    }
    const range = (node as Node | null | undefined)?.range;
    if (isPair(node)) return best;
    if (range && !(isScalar(node) && node.value === null && range[0] === range[1])) best = positionAt(d.file, d.lineCounter, range[0]);
  }
  return best;
}

/** The node written at `path` (aliases resolved), or undefined. */
export function nodeAt(d: YamlDocument, path: Path): unknown {
  let node: unknown = d.doc.contents;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(d.doc);
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === "number") node = node.items[seg];
    else return undefined;
  }
  return isAlias(node) ? node.resolve(d.doc) : node;
}

/**
 * locate(d, [...path, key]) for every key of the mapping at `path`, walking to
 * the mapping once: a 10k-model catalog has 100k written fields, and walking
 * from the document root for each cost a tenth of a plan.
 */
export function locateFields(d: YamlDocument, path: Path): Map<string, SourceRef> {
  const out = new Map<string, SourceRef>();
  const node = nodeAt(d, path);
  if (!isMap(node)) return out;
  for (const pair of node.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const key = String(pair.key.value);
    if (out.has(key)) continue; // the first pair wins, as in locate
    const value = pair.value as Node | null | undefined;
    const range = value?.range;
    const empty = !range || isPair(value) || (isScalar(value) && value.value === null && range[0] === range[1]);
    out.set(key, positionAt(d.file, d.lineCounter, empty ? pair.key.range[0] : range[0]));
  }
  return out;
}

/**
 * A number exactly as the author wrote it: the scalar's source text
 * (`12345678.123456789`, `1e-20`, `0x10`), never the JS float it parsed to.
 */
export function writtenNumber(d: YamlDocument, path: Path, value: number): string {
  const node = nodeAt(d, path);
  return isScalar(node) && typeof node.source === "string" && node.value === value ? node.source : String(value);
}
