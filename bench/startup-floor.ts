/*
 * The start-up floor `validate` of the sample is compared with, run as its own
 * process (`node startup-floor.js`): importing the libraries that command
 * loads (oclif to run it, zod for the field declarations environments are
 * checked with, ajv to compile settings schemas, yaml, decimal.js) and nothing
 * else. What a command takes beyond this is cfgsync's own.
 */
await import("@oclif/core");
await import("zod");
await import("ajv/dist/2020.js");
await import("yaml");
await import("decimal.js");
export {};
