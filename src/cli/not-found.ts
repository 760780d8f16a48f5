import type { Hook } from "@oclif/core";
import { UserError } from "../domain/diagnostic.js";
import { closest } from "../domain/suggest.js";

/**
 * `cfgsync plna`: at a terminal, oclif's not-found plugin asks "Did you mean
 * plan?" and runs it; anywhere else (CI, scripts, --json) a usage error
 * (exit 64) that names the closest command.
 */
const hook: Hook<"command_not_found"> = async function (opts) {
  const interactive = process.stdin.isTTY && process.stderr.isTTY && !opts.argv?.includes("--json");
  if (interactive) {
    const { default: plugin } = await import("@oclif/plugin-not-found");
    return plugin.call(this, opts);
  }
  const spaced = (id: string) => id.replaceAll(":", " ");
  const ids = opts.config.commands.filter((c) => !c.hidden).map((c) => spaced(c.id));
  const match = closest(spaced(opts.id), ids);
  throw new UserError("usage.unknown-command", `${spaced(opts.id)} is not a ${opts.config.bin} command`, {
    suggestions: [`${match ? `Did you mean \`${opts.config.bin} ${match}\`? ` : ""}Run \`${opts.config.bin} help\` for the list of commands.`],
  });
};

export default hook;
