/*
 * The start-up floor `validate` of the sample is compared with, run as its own
 * process (`node startup-floor.js`): importing the libraries that command
 * loads (oclif to run it, ajv with its formats to compile settings schemas,
 * yaml, decimal.js) and nothing else. What a command takes beyond this is
 * cfgsync's own. zod is not among them: the CLI checks files and environment
 * overrides with validators built at build time.
 */
await import("@oclif/core");
await import("ajv/dist/2020.js");
await import("ajv-formats");
await import("yaml");
await import("decimal.js");
export {};
