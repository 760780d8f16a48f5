// Bundles each of src/vendor/*.ts (the third-party libraries every command
// loads, re-exported) with its library into dist/vendor/<name>.js, over what
// tsc wrote there: Node then reads and compiles one file instead of each
// package's ~80-90 CommonJS modules, which is what a command waits for at
// start-up (issue #11). The exports are the same, so nothing else changes;
// built by tsc alone, the re-exports work as they are, only slower. Reads
// src, not dist, so running it again gives the same files.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sources = join(root, "src", "vendor");
for (const file of readdirSync(sources).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))) {
  await build({
    entryPoints: [join(sources, file)],
    outfile: join(root, "dist", "vendor", file.replace(/\.ts$/, ".js")),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // The libraries are CommonJS: their require() of Node's own modules needs a require in an ES module.
    banner: { js: 'import { createRequire as __cfgsyncCreateRequire } from "node:module";\nconst require = __cfgsyncCreateRequire(import.meta.url);' },
  });
}
