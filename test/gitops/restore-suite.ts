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

    test("restore to revision 1 after two applies puts back its rows, holds sync and apply, and hold release (or a new commit) lets Git win again", { timeout: 120_000 }, async () => {
      // Revision 1: the sample; revision 2: a price, an account setting and a rotated key.
      expect((await syncOnce()).code).toBe(0);
      const toneAt1 = await tone();
      ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
      ws.edit("accounts/acme.yaml", (t) => t.replace("content.tone: friendly", "content.tone: formal"));
      const c2 = commitAll(ws.dir, "raise dall-e-3, formal acme");
      const second = await syncOnce({ OPENAI_API_KEY: ROTATED_OPENAI_KEY });
      expect(lastLog(second.stdout)).toMatchObject({ msg: "applied", commit: c2, revision: 2 });
      expect(await dalle3Cost()).toBeCloseTo(0.05);

      const restore = await ws.cli(["restore", "--revision", "1", "--auto-approve"]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain("Restore of revision 1");
      expect(restore.stdout).toMatch(/~ cost_per_image: "0.05" -> "0.04"/);
      // The key is only a digest in revision 1: it stays the rotated one, and the plan says so.
      expect(restore.stdout).toContain("openai_api_key of integration/global differs from the key revision 1 applied");
      expect(restore.stdout).toContain("[restore.secret-untouched]");
      expect(restore.stdout).toContain("Restored revision 1:");
      expect(restore.stdout).toContain(`Held: revision 3 restored revision 1`);
      expect(await dalle3Cost()).toBeCloseTo(0.04);
      expect(await tone()).toEqual(toneAt1);
      expect(await openaiKey()).toBe(ROTATED_OPENAI_KEY);
      for (const out of [restore.stdout, restore.stderr]) for (const key of [...Object.values(API_KEYS), ROTATED_OPENAI_KEY]) expect(out).not.toContain(key);

      const history = JSON.parse((await ws.cli(["history", "--json"])).stdout) as { id: number; restored_from: number | null; git_commit: string | null }[];
      expect(history.map((r) => [r.id, r.restored_from])).toEqual([[3, 1], [2, null], [1, null]]);

      // Held: plan and drift say so, sync does not apply the commit it would re-apply, apply refuses it.
      expect((await ws.cli(["plan"])).stdout).toMatch(/warning: a restore holds Git back: revision 3 restored revision 1 .*\[hold\.on\]/);
      expect((await ws.cli(["drift"])).stdout).toContain("Held: revision 3 restored revision 1");
      const held = await syncOnce();
      expect(held.code).toBe(0);
      expect(lastLog(held.stdout)).toMatchObject({ level: "warn", commit: c2, hold: { revision_id: 3, restored_from: 1, git_commit: c2 } });
      expect(lastLog(held.stdout).msg).toMatch(/^held: /);
      const refused = await ws.cli(["apply", "--auto-approve"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("[hold.refused]");
      expect(await dalle3Cost()).toBeCloseTo(0.04);
      const status = JSON.parse((await ws.cli(["hold", "status", "--json"])).stdout);
      expect(status.hold).toMatchObject({ revision_id: 3, restored_from: 1, git_commit: c2, actor: "test" });

      // hold release: the next cycle applies Git again.
      const released = await ws.cli(["hold", "release"]);
      expect(released.stdout).toContain("Released the hold of revision 3");
      expect(lastLog((await syncOnce()).stdout)).toMatchObject({ msg: "applied", commit: c2, revision: 4 });
      expect(await dalle3Cost()).toBeCloseTo(0.05);

      // Restored and held again, a new commit is the next applied commit: it applies and ends the hold.
      expect((await ws.cli(["restore", "--revision", "1", "--auto-approve"])).code).toBe(0);
      ws.edit("models/openai.yaml", setDalle3Cost("0.060"));
      const c3 = commitAll(ws.dir, "dall-e-3 at 0.06");
      const next = lastLog((await syncOnce()).stdout);
      expect(next).toMatchObject({ msg: "applied; a new commit ended the restore's hold", commit: c3, hold_released: { revision_id: 5, git_commit: c2 } });
      expect(await dalle3Cost()).toBeCloseTo(0.06);
    });

    test("a saved restore plan applies as made and is refused as stale after the database moved; an unknown revision is an error", { timeout: 60_000 }, async () => {
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      const file = join(ws.dir, "restore.json");
      const saved = await ws.cli(["restore", "--revision", "1", "--out", file]);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toContain(`Apply it with: cfgsync apply ${file}`);
      expect(await dalle3Cost()).toBeCloseTo(0.05);
      const [{ s: sortOrder }] = await ws.db.query<{ s: number }>("SELECT sort_order AS s FROM ai_model_config WHERE model_id = 'gpt-4o'");
      await ws.db.query("UPDATE ai_model_config SET sort_order = 77 WHERE model_id = 'gpt-4o'");
      const stale = await ws.cli(["apply", file]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("[plan.stale]");
      // The database as the plan saw it again: the saved plan applies.
      await ws.db.query(`UPDATE ai_model_config SET sort_order = ${Number(sortOrder)} WHERE model_id = 'gpt-4o'`);
      const applied = await ws.cli(["apply", file]);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain("Restored revision 1:");
      expect(await dalle3Cost()).toBeCloseTo(0.04);
      const unknown = await ws.cli(["restore", "--revision", "42", "--auto-approve", "--json"]);
      expect(unknown.code).toBe(1);
      expect(JSON.parse(unknown.stdout).error.code).toBe("restore.unknown-revision");
    });
  });
}
