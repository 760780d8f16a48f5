// One build step, run by `npm ci` (prepare) and `npm run build`:
// Prisma schemas -> Prisma clients -> TypeScript -> bundled libraries -> schema validators -> oclif manifest.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { normaliseManifestFile } from "./manifest.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });

run(process.execPath, [join(root, "scripts/prisma-schemas.mjs")]);
for (const provider of ["sqlite", "postgresql"]) {
  run(bin("prisma"), ["generate"], { CFGSYNC_PRISMA_PROVIDER: provider, PRISMA_HIDE_UPDATE_MESSAGE: "1" });
}
run(bin("tsc"), ["-p", "tsconfig.build.json"]);
// yaml and ajv, each bundled into its one dist/vendor file (start-up); before the
// validators are precompiled, which use the same ajv.
run(process.execPath, [join(root, "scripts/bundle-vendor.mjs")]);
// Precompiled validators (documents, environment overrides, the meta-schema): saves
// every command that loads config/ the run-time compile. Needs the output above.
run(process.execPath, [join(root, "scripts/precompile-validators.mjs")]);
// A stale manifest hides commands: it is regenerated on every build.
run(bin("oclif"), ["manifest"]);
normaliseManifestFile(join(root, "oclif.manifest.json"));
