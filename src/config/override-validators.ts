import { createAjv, DOCUMENT_VALIDATOR_OPTIONS, type AjvInstance, type ValidateFunction } from "../schema/ajv.js";
import { generatedModule } from "./generated-module.js";

/*
 * What an environment may override, and the validator of each value: the
 * JSON Schema of the base document's own field declaration
 * (ENVIRONMENT_OVERRIDE_FIELDS, schema/json-schema.ts), checked as the
 * document validators check the field. scripts/precompile-validators.mjs
 * builds them with the rest of dist/ (override-validators.generated.js): the
 * CLI neither loads zod nor compiles them on a run. From src (vitest) they
 * are compiled from the same declarations on first use, with the same
 * options.
 */

interface Generated {
  /** Address kind -> field -> the name of its validator in the module. */
  OVERRIDE_FIELDS: Record<string, Record<string, string>>;
  [validator: string]: unknown;
}

const precompiled = await generatedModule<Generated>("override-validators.generated.js");
const declared = precompiled ? undefined : (await import("../schema/json-schema.js")).overrideFieldJsonSchemas();

/** Address kind -> field -> its validator (built on first use when compiled at run time). */
const fieldsByKind = new Map<string, Map<string, () => ValidateFunction>>();
let ajv: AjvInstance | undefined;
const source: Record<string, Record<string, string | Record<string, unknown>>> = precompiled?.OVERRIDE_FIELDS ?? declared ?? {};
for (const [kind, fields] of Object.entries(source)) {
  const byField = new Map<string, () => ValidateFunction>();
  for (const [field, entry] of Object.entries(fields)) {
    let validate: ValidateFunction | undefined;
    byField.set(field, () => {
      if (typeof entry === "string") return precompiled![entry] as ValidateFunction;
      ajv ??= createAjv(DOCUMENT_VALIDATOR_OPTIONS);
      return (validate ??= ajv.compile(entry));
    });
  }
  fieldsByKind.set(kind, byField);
}

/** The fields an environment may override on a resource of `kind` (the plan's resource kinds). */
export function overridableFields(kind: string): string[] {
  return [...(fieldsByKind.get(kind)?.keys() ?? [])];
}

/** The validator of an override of `field` on a resource of `kind`; undefined when the field may not be overridden. */
export function overrideValidator(kind: string, field: string): ValidateFunction | undefined {
  return fieldsByKind.get(kind)?.get(field)?.();
}

/** Whether the validators were built at build time (the tests check both ways give the same verdicts). */
export const overrideValidatorsPrecompiled = precompiled !== undefined;
