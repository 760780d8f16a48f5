import { UserError } from "../domain/diagnostic.js";
import type { JsonValue } from "../domain/resources.js";
import { createAjv, type AjvInstance, type ErrorObject, type ValidateFunction } from "../schema/ajv.js";
import { didYouMean } from "../domain/suggest.js";
import { canonicalJson } from "../domain/digest.js";

/**
 * Validates a user's setting against the schema that is live in the database
 * (the seed's Save Flow, step 5). Compiled validators are cached by the
 * schema's canonical text, so an apply that changes a schema takes effect on
 * the next save without a restart, and an unchanged one is compiled once.
 */
export class SettingsValidator {
  private readonly ajv: AjvInstance = createAjv({ strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  validate(key: string, value: JsonValue, liveSchemas: ReadonlyMap<string, unknown>): void {
    const schema = liveSchemas.get(key);
    if (schema === undefined) {
      throw new UserError("settings.unknown-key", `unknown settings key "${key}"${didYouMean(key, liveSchemas.keys())}`, {
        suggestions: [`known keys: ${[...liveSchemas.keys()].sort().join(", ") || "(none: no settings schemas are applied)"}`],
      });
    }
    const validate = this.compile(schema);
    if (!validate(value)) {
      throw new UserError("settings.invalid", `invalid value for settings key "${key}": ${describeErrors(validate.errors ?? [])}`);
    }
  }

  private compile(schema: unknown): ValidateFunction {
    const id = canonicalJson(schema);
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.ajv.compile(schema as object);
      this.compiled.set(id, fn);
    }
    return fn;
  }
}

/** ajv's errors in one line, without echoing the offending values (they might be anything). */
export function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath || "(value)";
      const extra = e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : "";
      return `${where} ${e.message ?? e.keyword}${extra}`;
    })
    .join("; ");
}
