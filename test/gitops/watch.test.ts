import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { startCli, type RunningCli } from "./running-cli.js";

const setDalle3Cost = (cost: string) => (text: string) => text.replace(/(model_id: dall-e-3[\s\S]*?cost_per_image: )[0-9."]+/, `$1${cost}`);

describe.each(DIALECTS)("cfgsync watch on %s", (dialect) => {
  let ws: Workspace | undefined;
  let watch: RunningCli | undefined;
  afterEach(async () => {
    watch?.kill();
    await ws?.dispose();
  });

  test("plans at start, re-plans on edits, survives invalid YAML, deleted files and a recreated config dir, stops on SIGTERM", { timeout: 120_000 }, async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    const applied = await ws.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);

    watch = startCli(["watch", "--debounce", "200ms"], { cwd: ws.dir, env: { DATABASE_URL: ws.db.url, ...API_KEYS } });
    await watch.waitFor(/No changes\. The database matches the configuration\./);
    expect(watch.stdout()).toMatch(/^Watching config for changes/);

    // A price edit: the new change is printed, with its margin impact.
    let from = watch.mark();
    ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
    let out = await watch.waitFor(/Plan: 0 to create, 1 to update/, { from });
    expect(out).toContain("changed: config/models/openai.yaml");
    expect(out).toMatch(/~ model\/dall-e-3[\s\S]*cost_per_image: "?0\.040?"? -> "?0\.050?"?/);

    // Touching a file without changing what it means: one line, not the whole plan again.
    from = watch.mark();
    writeFileSync(join(ws.configDir, "credits.yaml"), readFileSync(join(ws.configDir, "credits.yaml"), "utf8") + "\n# a comment\n");
    out = await watch.waitFor(/Plan unchanged\./, { from });
    expect(out).not.toContain("model/dall-e-3");

    // An invalid intermediate state is reported with file:line:col, and the watch goes on.
    from = watch.mark();
    const credits = readFileSync(join(ws.configDir, "credits.yaml"), "utf8");
    writeFileSync(join(ws.configDir, "credits.yaml"), credits + "operations: [unclosed\n");
    out = await watch.waitFor(/config\/credits\.yaml:\d+:\d+: error/, { from });
    expect(out).toMatch(/is invalid:/);
    from = watch.mark();
    writeFileSync(join(ws.configDir, "credits.yaml"), credits);
    out = await watch.waitFor(/Plan: 0 to create, 1 to update/, { from });
    expect(out).toContain("model/dall-e-3");

    // A deleted file: the plan follows (its account settings are no longer declared).
    from = watch.mark();
    rmSync(join(ws.configDir, "accounts", "globex.yaml"));
    out = await watch.waitFor(/changed: config\/accounts\/globex\.yaml[\s\S]*(Plan:|No changes)/, { from });
    expect(out).toMatch(/account\/globex/);

    // The whole directory removed and put back (a checkout, a copy).
    from = watch.mark();
    rmSync(ws.configDir, { recursive: true, force: true });
    out = await watch.waitFor(/config.*does not exist/, { from });
    from = watch.mark();
    cpSync(join(ROOT, "config"), ws.configDir, { recursive: true });
    out = await watch.waitFor(/No changes\. The database matches the configuration\./, { from });

    const stopped = await watch.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(watch.stdout()).toContain("Stopped watching.");
    expect(watch.stderr()).toBe("");
    for (const key of Object.values(API_KEYS)) expect(watch.stdout()).not.toContain(key);
  });
});
