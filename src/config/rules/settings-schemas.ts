import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { createAjv } from "../../schema/ajv.js";
import type { Rule } from "./types.js";

/**
 * The runtime validates users' settings against these: each must be a JSON
 * Schema ajv can compile. Judged on the state's settings-schema resources, so
 * an environment that overrides a schema is held to the same rule, at the
 * override's line.
 */
export const settingsSchemasCompile: Rule = {
  name: "settings-schemas-compile",
  needs: ["SettingsSchemas"],
  alone: true,
  check({ desired }) {
    const out: Diagnostic[] = [];
    // One instance for all of them (a new one per schema recompiles the meta-schema);
    // settings schemas carry no $id, so they cannot collide inside it.
    let ajv: ReturnType<typeof createAjv> | undefined;
    for (const r of desired.resources) {
      if (r.kind !== "settings-schema") continue;
      try {
        (ajv ??= createAjv()).compile(r.fields.schema as object);
      } catch (err) {
        const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
        out.push(
          diagnostic("error", "settings-schema.invalid", `settings schema ${String(r.key.key)} is not a valid JSON Schema: ${reason}`, r.overlay?.schema ?? r.source),
        );
      }
    }
    return out;
  },
};
