import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { Ajv2020, addFormats, type ErrorObject, type Options, type ValidateFunction } from "../vendor/ajv.js";

export type { ErrorObject, ValidateFunction };
export type AjvInstance = InstanceType<typeof Ajv2020>;

/** A strict draft 2020-12 validator with the standard formats. */
export function createAjv(options: Options = {}): AjvInstance {
  const ajv = new Ajv2020({ strict: true, allErrors: true, ...options });
  addFormats(ajv);
  // With the default options, schemas are checked against the draft 2020-12
  // meta-schema by a validator built at build time: compiling the meta-schema
  // costs ~250 ms of every `cfgsync validate` whose config has settings schemas.
  if (Object.keys(options).length === 0) usePrecompiledMetaSchema(ajv);
  return ajv;
}

/** The draft 2020-12 meta-schema's id: what a schema without `$schema` is checked against. */
export const META_SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema";

/**
 * scripts/precompile-validators.mjs writes it (ajv standalone code of the
 * meta-schema, compiled by createAjv() with the same options); absent when
 * running from src/ (vitest), then ajv compiles the meta-schema as before.
 * Loaded on first use: only configurations with settings schemas need it.
 */
let metaValidator: ValidateFunction | null | undefined;
function precompiledMetaValidator(): ValidateFunction | null {
  if (metaValidator === undefined) {
    try {
      const loaded = createRequire(import.meta.url)("./meta-schema.generated.cjs") as { meta2020?: ValidateFunction };
      metaValidator = loaded.meta2020 ?? null;
    } catch {
      metaValidator = null;
    }
  }
  return metaValidator;
}

/**
 * Replaces the instance's schema check, for schemas that name no `$schema`,
 * with the precompiled meta-schema validator: the same check, errors and
 * message ("schema is invalid: ..."), at the same point of compile().
 */
function usePrecompiledMetaSchema(ajv: AjvInstance): void {
  const original = ajv.validateSchema.bind(ajv);
  ajv.validateSchema = (schema: unknown, throwOrLogError?: boolean): boolean | Promise<unknown> => {
    const meta = typeof schema === "object" && schema !== null && (schema as { $schema?: unknown }).$schema === undefined ? precompiledMetaValidator() : null;
    if (!meta || (ajv.opts.defaultMeta !== undefined && ajv.opts.defaultMeta !== META_SCHEMA_ID)) return original(schema as object, throwOrLogError);
    const valid = meta(schema);
    ajv.errors = valid ? null : (meta.errors ?? null);
    if (!valid && throwOrLogError) throw new Error("schema is invalid: " + ajv.errorsText());
    return valid;
  };
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
