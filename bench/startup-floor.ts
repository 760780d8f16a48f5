/*
 * The start-up floor `validate` of the sample is compared with, run as its own
 * process (`node startup-floor.js`): importing the libraries that command
 * loads, the way it loads them (oclif to run it; yaml and ajv with its formats
 * from the bundles the build makes of them, dist/vendor/; decimal.js) and
 * nothing else. What a command takes beyond this is cfgsync's own. zod is not
 * among them: the CLI checks files and environment overrides with validators
 * built at build time.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dist = join(import.meta.dirname, "..", "..", "..", "dist");
await import("@oclif/core");
await import(pathToFileURL(join(dist, "vendor", "yaml.js")).href);
await import(pathToFileURL(join(dist, "vendor", "ajv.js")).href);
await import("decimal.js");
export {};
