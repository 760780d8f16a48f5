// Writes each provider's migrations from snapshots of prisma/models.prisma with
// `prisma migrate diff` (offline, no database needed): migration N is the diff
// from the schema of migration N-1 (empty for the first) to its own schema.
// The last migration's schema is prisma/models.prisma itself; earlier ones are
// frozen in prisma/history/<name>.prisma. `--check` exits 1 when a committed
// migration differs from what its schemas generate, so the models file and the
// migrations cannot drift.
//
// To change the database schema: copy prisma/models.prisma to
// prisma/history/<last generated migration>.prisma, edit prisma/models.prisma,
// add the new migration's name to MIGRATIONS, run `node scripts/migrations.mjs`,
// review the SQL. A hand-written migration (HAND_WRITTEN) changes no model.
//
// `prisma migrate diff` costs seconds of CPU per call, so what was verified is
// remembered in prisma/migrations.verified.json: for each migration, a digest of
// everything its SQL is generated from (Prisma's version, the provider, both
// schemas) and of the SQL. `--check` (and the test suite) re-run Prisma only for
// a migration whose inputs or SQL changed; `--check --full` re-runs every one.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { composeSchema } from "./prisma-schemas.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const INIT_MIGRATION = "20261125145300_init";
/** Every migration, oldest first; the last one's schema is prisma/models.prisma. */
export const MIGRATIONS = [
  INIT_MIGRATION,
  "20261128230000_singleton_rows",
  "20261128231500_usage_token_counts",
  "20261128233000_catalog_dimensions",
  "20261129010000_cfgsync_meta",
  "20261129011000_secret_salt",
  "20261129020000_restore_hold",
];
/**
 * Migrations written by hand for what Prisma's schema language cannot say
 * (CHECK constraints, triggers): they change no model, so they are not
 * generated or checked here and their schema is the one before them.
 */
export const HAND_WRITTEN = new Set(["20261128230000_singleton_rows", "20261129011000_secret_salt"]);
/** The migrations this script generates and checks. */
export const GENERATED_MIGRATIONS = MIGRATIONS.filter((name) => !HAND_WRITTEN.has(name));
const PROVIDERS = ["sqlite", "postgresql"];

const modelsOf = (name) =>
  readFileSync(
    name === GENERATED_MIGRATIONS[GENERATED_MIGRATIONS.length - 1] ? join(root, "prisma/models.prisma") : join(root, "prisma/history", `${name}.prisma`),
    "utf8",
  );

function prismaDiff(provider, from, to) {
  return execFileSync(join(root, "node_modules", ".bin", "prisma"), ["migrate", "diff", ...from, ...to, "--script"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CFGSYNC_PRISMA_PROVIDER: provider, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

/** The SQL `prisma migrate diff` generates for one migration of a provider. */
export function generatedMigrationSql(provider, name) {
  const index = GENERATED_MIGRATIONS.indexOf(name);
  if (index < 0) throw new Error(`not a generated migration: ${name}`);
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-migrations-"));
  try {
    const schemaFile = (n) => {
      const file = join(dir, `${n}.prisma`);
      writeFileSync(file, composeSchema(modelsOf(n), provider));
      return file;
    };
    const from = index === 0 ? ["--from-empty"] : ["--from-schema-datamodel", schemaFile(GENERATED_MIGRATIONS[index - 1])];
    return prismaDiff(provider, from, ["--to-schema-datamodel", schemaFile(name)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const VERIFIED_FILE = join(root, "prisma", "migrations.verified.json");
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const prismaVersion = () => JSON.parse(readFileSync(join(root, "node_modules", "prisma", "package.json"), "utf8")).version;

/** Digest of what a generated migration's SQL depends on. */
function inputsDigest(provider, name) {
  const index = GENERATED_MIGRATIONS.indexOf(name);
  const from = index === 0 ? "" : composeSchema(modelsOf(GENERATED_MIGRATIONS[index - 1]), provider);
  return sha256(JSON.stringify([prismaVersion(), provider, from, composeSchema(modelsOf(name), provider)]));
}

const readVerified = () => (existsSync(VERIFIED_FILE) ? JSON.parse(readFileSync(VERIFIED_FILE, "utf8")) : {});

/**
 * Whether a committed migration's SQL is what Prisma generates from its schemas:
 * answered from prisma/migrations.verified.json when neither the inputs nor the
 * SQL changed since Prisma last generated it, by running Prisma otherwise.
 */
export function migrationMatches(provider, name, committedSql, { full = false } = {}) {
  const entry = readVerified()[`${provider}/${name}`];
  if (!full && entry && entry.inputs === inputsDigest(provider, name) && entry.sql === sha256(committedSql)) return true;
  return committedSql === generatedMigrationSql(provider, name);
}

const lockToml = (provider) =>
  `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;

function main() {
  const check = process.argv.includes("--check");
  const full = process.argv.includes("--full");
  let stale = false;
  const verified = {};
  for (const provider of PROVIDERS) {
    const dir = join(root, "prisma", provider, "migrations");
    if (check) {
      for (const name of GENERATED_MIGRATIONS) {
        const file = join(dir, name, "migration.sql");
        if (!existsSync(file) || !migrationMatches(provider, name, readFileSync(file, "utf8"), { full })) {
          console.error(`stale: ${file} (run: node scripts/migrations.mjs)`);
          stale = true;
        }
      }
    }
    const files = [
      ...(check
        ? []
        : GENERATED_MIGRATIONS.map((name) => {
            const sql = generatedMigrationSql(provider, name);
            verified[`${provider}/${name}`] = { inputs: inputsDigest(provider, name), sql: sha256(sql) };
            return [join(dir, name, "migration.sql"), sql];
          })),
      [join(dir, "migration_lock.toml"), lockToml(provider)],
    ];
    for (const [file, text] of files) {
      if (check) {
        const current = existsSync(file) ? readFileSync(file, "utf8") : "";
        if (current !== text) {
          console.error(`stale: ${file} (run: node scripts/migrations.mjs)`);
          stale = true;
        }
      } else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
    }
  }
  if (!check) writeFileSync(VERIFIED_FILE, JSON.stringify(verified, null, 2) + "\n");
  process.exit(stale ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
