#!/usr/bin/env node
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);

// `--version` is what shells and scripts call most: answer before oclif loads
// (the same line oclif prints: its user agent).
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`cfgsync/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif checks Node against its own `engines` (>=18) on load, through the
  // whole semver package (47 modules, ~10 ms of every command); cfgsync's
  // package.json asks for more, and npm checks that at install.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= "1";
  const { runCommandLine } = await import("../dist/cli/main.js");
  const { code, exited } = await runCommandLine(argv, import.meta.url);
  // oclif's own handler ends the process at an exit (what a command left open must not keep it alive).
  if (exited) process.exit(code);
  process.exitCode = code;
}
