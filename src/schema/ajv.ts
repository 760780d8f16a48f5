import { createHash } from "node:crypto";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ErrorObject, Options, ValidateFunction } from "ajv/dist/2020.js";

// Both packages are CommonJS with a `default` export; NodeNext sees the module object.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

export type { ErrorObject, ValidateFunction };
export type AjvInstance = InstanceType<typeof Ajv2020>;

/** A strict draft 2020-12 validator with the standard formats. */
export function createAjv(options: Options = {}): AjvInstance {
  const ajv = new Ajv2020({ strict: true, allErrors: true, ...options });
  addFormats(ajv);
  return ajv;
}

/**
 * Options of the document validators, shared by the run-time compile and the
 * build-time standalone code (scripts/precompile-validators.mjs), so both give the same errors.
 * verbose: errors carry the failing sub-schema, from which the messages say what was expected.
 */
export const DOCUMENT_VALIDATOR_OPTIONS = { verbose: true } as const satisfies Options;

/** Identifies a schema file's content: the precompiled validators are only used for the schemas they were built from. */
export function schemaDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
