// oclif writes its manifest in the order the command files happened to load,
// so the same commands could produce a different file on every build. The
// build rewrites it with the commands sorted by id: a build with no command
// change leaves it byte-identical (test/manifest.test.ts, .ci/run checks it).
import { readFileSync, writeFileSync } from "node:fs";

/** The manifest text with its commands in id order (oclif's own formatting: 2-space JSON, no trailing newline). */
export function normaliseManifest(text) {
  const manifest = JSON.parse(text);
  const commands = Object.fromEntries(Object.keys(manifest.commands).sort().map((id) => [id, manifest.commands[id]]));
  return JSON.stringify({ ...manifest, commands }, null, 2);
}

export function normaliseManifestFile(file) {
  const text = readFileSync(file, "utf8");
  const normal = normaliseManifest(text);
  if (normal !== text) writeFileSync(file, normal);
}
