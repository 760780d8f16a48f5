import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Dialect } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { commitAll, gitInit } from "./git-repo.js";
import { logLines } from "./running-cli.js";

const setDalle3Cost = (cost: string) => (text: string) => text.replace(/(model_id: dall-e-3[\s\S]*?cost_per_image: )[0-9."]+/, `$1${cost}`);
const ROTATED_OPENAI_KEY = "sk-test-openai-rotated-000000000SECRET";

/** Restore and hold through the real CLI (issue 14), once per database: restore.<dialect>.test.ts. */
export function restoreSuite(dialect: Dialect): void {
  describe(`cfgsync restore and hold on ${dialect}`, () => {
    let ws: Workspace;
    let workdir: string;
    const dalle3Cost = async () => Number((await ws.db.query<{ c: string | number }>("SELECT cost_per_image AS c FROM ai_model_config WHERE model_id = 'dall-e-3'"))[0]?.c);
    const tone = async () => (await ws.db.query<{ value: unknown }>("SELECT s.value FROM account_settings s JOIN account a ON a.id = s.account_id WHERE a.slug = 'acme' AND s.key = 'content.tone'"))[0]?.value;
    const openaiKey = async () => (await ws.db.query<{ k: string }>("SELECT openai_api_key AS k FROM global_integration_settings WHERE id = 1"))[0]?.k;
    const syncOnce = (env: Record<string, string> = {}) => ws.cli(["sync", "--once", "--repo", ws.dir, "--ref", "main", "--workdir", workdir], { env });
    const lastLog = (stdout: string) => logLines(stdout).filter((l) => l.msg !== "sync started" && l.msg !== "stopped").at(-1)!;

    beforeEach(async () => {
      ws = await createWorkspace(dialect);
      await ws.prepareDatabase();
      gitInit(ws.dir);
      workdir = join(mkdtempSync(join(tmpdir(), "cfgsync-restore-wd-")), "wd");
    });
    afterEach(async () => {
      rmSync(join(workdir, ".."), { recursive: true, force: true });
      await ws?.dispose();
    });

    test("restore to revision 1 after two applies puts back its rows (saved plan or --auto-approve), holds sync and apply, and hold release or a new commit lets Git win again", { timeout: 240_000 }, async () => {
      // Revision 1: the sample at commit c1; revision 2 (c2): a price, an account setting and a rotated key.
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      const toneAt1 = await tone();
      ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
      ws.edit("accounts/acme.yaml", (t) => t.replace("content.tone: friendly", "content.tone: formal"));
      const c2 = commitAll(ws.dir, "raise dall-e-3, formal acme");
      expect((await ws.cli(["apply", "--auto-approve"], { env: { OPENAI_API_KEY: ROTATED_OPENAI_KEY } })).code).toBe(0);
      expect(await dalle3Cost()).toBeCloseTo(0.05);

      // The restore plan, saved: shown, nothing applied; stale once the database moved, applied as made once it is back.
      const file = join(ws.dir, "restore.json");
      const saved = await ws.cli(["restore", "--revision", "1", "--out", file]);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toContain("Restore of revision 1");
      expect(saved.stdout).toMatch(/~ cost_per_image: "0.05" -> "0.04"/);
      // The key is only a digest in revision 1: it stays the rotated one, and the plan says so.
      expect(saved.stdout).toContain("openai_api_key of integration/global differs from the key revision 1 applied");
      expect(saved.stdout).toContain("[restore.secret-untouched]");
      expect(saved.stdout).toContain(`Apply it with: cfgsync apply ${file}`);
      expect(await dalle3Cost()).toBeCloseTo(0.05);
      const sortOrder = (await ws.db.query<{ s: number }>("SELECT sort_order AS s FROM ai_model_config WHERE model_id = 'gpt-4o'"))[0]!.s;
      await ws.db.query("UPDATE ai_model_config SET sort_order = 77 WHERE model_id = 'gpt-4o'");
      const stale = await ws.cli(["apply", file]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("[plan.stale]");
      await ws.db.query(`UPDATE ai_model_config SET sort_order = ${Number(sortOrder)} WHERE model_id = 'gpt-4o'`);
      const restore = await ws.cli(["apply", file]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain("Restored revision 1:");
      expect(restore.stdout).toContain("Held: revision 3 restored revision 1");
      expect(await dalle3Cost()).toBeCloseTo(0.04);
      expect(await tone()).toEqual(toneAt1);
      expect(await openaiKey()).toBe(ROTATED_OPENAI_KEY);
      for (const out of [saved.stdout, restore.stdout, restore.stderr]) for (const key of [...Object.values(API_KEYS), ROTATED_OPENAI_KEY]) expect(out).not.toContain(key);
      const history = await ws.cli(["history"]);
      expect(history.stdout.split("\n")[0]).toMatch(/^#3 .* restore of #1$/);

      // Held: plan and drift say so, sync does not re-apply the commit, apply refuses it.
      expect((await ws.cli(["plan"])).stdout).toMatch(/warning: a restore holds Git back: revision 3 restored revision 1 .*\[hold\.on\]/);
      expect((await ws.cli(["drift"])).stdout).toContain("Held: revision 3 restored revision 1");
      const held = await syncOnce();
      expect(held.code).toBe(0);
      expect(lastLog(held.stdout)).toMatchObject({ level: "warn", commit: c2, hold: { revision_id: 3, restored_from: 1, git_commit: c2, actor: "test" } });
      expect(lastLog(held.stdout).msg).toMatch(/^held: /);
      const refused = await ws.cli(["apply", "--auto-approve"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("[hold.refused]");
      expect(await dalle3Cost()).toBeCloseTo(0.04);

      // hold release: the next cycle applies Git again.
      expect((await ws.cli(["hold", "release"])).stdout).toContain("Released the hold of revision 3");
      expect(lastLog((await syncOnce()).stdout)).toMatchObject({ msg: "applied", commit: c2, revision: 4 });
      expect(await dalle3Cost()).toBeCloseTo(0.05);

      // Restored and held again, a new commit is the next applied commit: it applies and ends the hold.
      const again = await ws.cli(["restore", "--revision", "1", "--auto-approve", "--json"]);
      expect(JSON.parse(again.stdout)).toMatchObject({ applied: true, restored_from: 1, revision: { id: 5, restored_from: 1, hold: { git_commit: c2 } } });
      ws.edit("models/openai.yaml", setDalle3Cost("0.060"));
      const c3 = commitAll(ws.dir, "dall-e-3 at 0.06");
      const next = lastLog((await syncOnce()).stdout);
      expect(next).toMatchObject({ msg: "applied; a new commit ended the restore's hold", commit: c3, hold_released: { revision_id: 5, git_commit: c2 } });
      expect(await dalle3Cost()).toBeCloseTo(0.06);
      expect(await ws.db.query("SELECT * FROM cfgsync_hold")).toEqual([]);
      const unknown = await ws.cli(["restore", "--revision", "42", "--auto-approve", "--json"]);
      expect(unknown.code).toBe(1);
      expect(JSON.parse(unknown.stdout).error.code).toBe("restore.unknown-revision");
    });
  });
}
