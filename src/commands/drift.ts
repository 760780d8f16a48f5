import type { Change } from "../plan/types.js";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";
import { ExitCode } from "../domain/diagnostic.js";
import type { Hold } from "../domain/restore.js";

export default class Drift extends BaseCommand {
  static override summary = "Report rows changed outside Git since the last apply";
  static override description = "Compares the live database with what cfgsync last applied. Exit 0: no drift; 2: drift found; 1: error.";
  static override examples = ["<%= config.bin %> drift", "<%= config.bin %> drift --json", "<%= config.bin %> drift --env production   # the database production's database_url names"];
  static override enableJsonFlag = true;
  static override flags = { env: environmentFlag() };

  async run(): Promise<{ drift: boolean; changes: Change[]; hold: Hold | null }> {
    const { flags } = await this.parse(Drift);
    const { detectDrift } = await import("../plan/diff.js");
    const { renderDriftText } = await import("../render/drift.js");
    const { wantsColor } = await import("../render/style.js");
    const { drift, hold } = await this.withStore((await this.target(flags)).databaseUrl, async (store) => {
      const live = await store.readLive();
      return { drift: detectDrift(live.resources, live.lastApplied), hold: await store.readHold() };
    });
    if (!this.jsonEnabled()) {
      const { holdStatusLine } = await import("../render/restore.js");
      process.stdout.write(renderDriftText(drift, wantsColor(process.stdout, process.env)) + (hold ? holdStatusLine(hold) + "\n" : ""));
    }
    this.exitWith(drift.length ? ExitCode.changes : ExitCode.ok);
    return { drift: drift.length > 0, changes: drift, hold };
  }
}
