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
