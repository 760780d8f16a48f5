import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Yaml from "../src/vendor/yaml.js";

/*
 * The floor a CLI run is measured against, run as its own process so it pays
 * the same Node start-up: read every YAML file under the configuration
 * directory and parse it with the same `yaml` library, loaded as the CLI
 * loads it (the build's bundle, dist/vendor/yaml.js), with positions (a line
 * counter, node ranges) and conversion to plain values; then, when given a
 * database URL, read every row of every table a plan reads. Nothing else: no
 * validation, no diff, no rendering.
 *
 *   node floor.js CONFIG_DIR [DATABASE_URL]
 */

const BUNDLE = join(import.meta.dirname, "..", "..", "..", "dist", "vendor", "yaml.js");
const { LineCounter, parseAllDocuments } = (await import(pathToFileURL(BUNDLE).href)) as typeof Yaml;

const TABLES = [
  "ai_model_config",
  "credit_cost_config",
  "global_integration_settings",
  "settings_schema",
  "account_settings",
  "integration_settings",
  "account",
  "cfgsync_resource_state",
];

export async function parseEveryFile(configDir: string): Promise<number> {
  const entries = await readdir(configDir, { withFileTypes: true, recursive: true });
  let documents = 0;
  for (const e of entries) {
    if (!e.isFile() || !/\.ya?ml$/i.test(e.name)) continue;
    const text = await readFile(join(e.parentPath, e.name), "utf8");
    const lineCounter = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true }) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      doc.toJS();
      documents++;
    }
  }
  return documents;
}

export async function readEveryRow(databaseUrl: string): Promise<number> {
  let rows = 0;
  if (databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true });
    for (const t of TABLES) rows += db.prepare(`SELECT * FROM ${t}`).all().length;
    db.close();
    return rows;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const t of TABLES) rows += (await client.query(`SELECT * FROM ${t}`)).rows.length;
  await client.end();
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [configDir, databaseUrl] = process.argv.slice(2);
  if (!configDir) {
    process.stderr.write("usage: node floor.js CONFIG_DIR [DATABASE_URL]\n");
    process.exit(2);
  }
  const documents = await parseEveryFile(configDir);
  const rows = databaseUrl ? await readEveryRow(databaseUrl) : 0;
  process.stdout.write(`${documents} documents, ${rows} rows\n`);
}
