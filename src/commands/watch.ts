import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";

export default class Watch extends BaseCommand {
  static override summary = "Re-validate and re-plan on every change to config/";
  static override description =
    "Plans once, then after every change to a YAML file (debounced) validates and plans again against the database, printing only what changed since the previous run. Invalid YAML, deleted files and a recreated config directory are reported and waited out. Stops on Ctrl+C (SIGINT) or SIGTERM.";
  static override examples = ["<%= config.bin %> watch", "<%= config.bin %> watch --config-dir config --debounce 1s"];
  static override flags = {
    debounce: Flags.string({ description: "quiet time after a change before planning (e.g. 300ms, 1s)", default: "300ms" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    const { parseDuration } = await import("../app/duration.js");
    const { startWatch } = await import("../watch/session.js");
    const { wantsColor } = await import("../render/style.js");
    const { stopOnSignals } = await import("../app/shutdown.js");
    const debounceMs = parseDuration(flags.debounce, "debounce");
    const shutdown = stopOnSignals();
    const session = await startWatch({
      configDir: flags["config-dir"],
      cwd: process.cwd(),
      databaseUrl: this.databaseUrl(flags["database-url"]),
      env: process.env,
      debounceMs,
      color: wantsColor(process.stdout, process.env),
      write: (text) => process.stdout.write(text),
    });
    await shutdown.stopped;
    await session.stop();
    shutdown.dispose();
    process.stdout.write("Stopped watching.\n");
  }
}
