import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";

/** Bytes gathered before one write: few writes, and never the whole output in memory. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes text produced piece by piece (a plan's lines, its JSON) to a stream,
 * waiting when the stream asks to (a slow pipe): output of any size is never
 * built as one string first.
 */
export async function writeChunks(stream: Writable, pieces: Iterable<string>, separator = ""): Promise<void> {
  let buffer = "";
  for (const piece of pieces) {
    buffer += piece + separator;
    if (buffer.length >= CHUNK_CHARS) {
      const flushed = stream.write(buffer);
      buffer = "";
      if (!flushed) await once(stream, "drain");
    }
  }
  if (buffer) stream.write(buffer);
}

/** The same, into a file (a saved plan), closed and flushed when the promise resolves. */
export async function writeChunksToFile(file: string, pieces: Iterable<string>): Promise<void> {
  const stream = createWriteStream(file);
  const closed = once(stream, "close");
  await writeChunks(stream, pieces);
  stream.end();
  await closed;
}

/**
 * JSON.stringify(value, null, 2) in pieces: a top-level object's arrays (a
 * plan's 50k changes, its margin rows) one element at a time, the rest whole.
 * The same text, joined.
 */
export function* prettyJsonChunks(value: unknown): Generator<string> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    yield JSON.stringify(value, null, 2);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol");
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  yield "{\n";
  for (const [i, [key, v]] of entries.entries()) {
    const end = i < entries.length - 1 ? ",\n" : "\n";
    if (Array.isArray(v) && v.length > 0 && typeof (v as { toJSON?: unknown }).toJSON !== "function") {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < v.length; j++) {
        const item: unknown = v[j];
        const text = item === undefined || typeof item === "function" || typeof item === "symbol" ? "null" : nested(JSON.stringify(item, null, 2), "    ");
        yield `    ${text}${j < v.length - 1 ? ",\n" : "\n"}`;
      }
      yield `  ]${end}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(JSON.stringify(v, null, 2), "  ")}${end}`;
    }
  }
  yield "}";
}

/** JSON text nested one level deeper (its strings hold no raw newlines: JSON escapes them). */
const nested = (json: string, pad: string) => json.replace(/\n/g, "\n" + pad);
