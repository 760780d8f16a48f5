#!/usr/bin/env node
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);

// `--version` is what shells and scripts call most: answer before oclif loads
// (the same line oclif prints: its user agent).
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`cfgsync/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const { flush, handle, run } = await import("@oclif/core");
  try {
    await run(argv, import.meta.url);
    await flush();
  } catch (err) {
    // A command's own errors were reported by BaseCommand (oclif's exit carries the code).
    if (err?.code === "EEXIT") await handle(err);
    else {
      // Unknown commands and errors of oclif's plugins: the same report and exit codes (64 for usage).
      const { reportError } = await import("../dist/cli/errors.js");
      process.exitCode = reportError(err, { json: argv.includes("--json"), env: process.env });
    }
  }
}
