import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

const root = join(import.meta.dirname, "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The CLI tests run the built CLI: rebuild when a source file is newer than the build. */
export default async function setup(): Promise<() => Promise<void>> {
  const stamp = join(root, "oclif.manifest.json");
  const built = existsSync(join(root, "dist/commands")) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (newestMtime(join(root, "src")) > built || !existsSync(join(root, "src/generated"))) {
    await withBuildLock(() =>
      execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" }),
    );
  }
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${pgAdminUrl()}: ${(err as Error).message}. Start it (see README).`);
  }
  const { createTemplates } = await import("./templates.js");
  return createTemplates(pgAdminUrl());
}

export function pgAdminUrl(): string {
  return process.env.CFGSYNC_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

/** Several test runs at once (developers, CI) must not build over each other. */
async function withBuildLock(build: () => void): Promise<void> {
  const lock = join(root, "node_modules", ".cfgsync-build-lock");
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
