// Bundles each of dist/vendor/*.js (src/vendor: the third-party libraries
// every command loads, re-exported) with its libraries into that one file:
// Node then reads and compiles one file instead of each package's ~80-90
// CommonJS modules, which is what a command waits for at start-up (issue #11).
// The exports stay the same, so nothing else changes; without this step the
// re-exports work as they are, only slower.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const vendor = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "vendor");
for (const file of readdirSync(vendor).filter((f) => f.endsWith(".js"))) {
  const path = join(vendor, file);
  await build({
    entryPoints: [path],
    outfile: path,
    allowOverwrite: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // The libraries are CommonJS: their require() of Node's own modules needs a require in an ES module.
    banner: { js: 'import { createRequire as __cfgsyncCreateRequire } from "node:module";\nconst require = __cfgsyncCreateRequire(import.meta.url);' },
  });
}
