import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { createAjv } from "../../schema/ajv.js";
import { at, docsOf } from "../documents.js";
import type { Rule } from "./types.js";

/** The runtime validates users' settings against these: each must be a JSON Schema ajv can compile. */
export const settingsSchemasCompile: Rule = {
  name: "settings-schemas-compile",
  needs: ["SettingsSchemas"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    // One instance for all of them (a new one per schema recompiles the meta-schema);
    // settings schemas carry no $id, so they cannot collide inside it.
    let ajv: ReturnType<typeof createAjv> | undefined;
    for (const doc of docsOf(docs, "SettingsSchemas")) {
      for (const [key, schema] of Object.entries(doc.data.schemas)) {
        try {
          (ajv ??= createAjv()).compile(schema as object);
        } catch (err) {
          const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
          out.push(diagnostic("error", "settings-schema.invalid", `settings schema ${key} is not a valid JSON Schema: ${reason}`, at(doc, ["schemas", key], "key")));
        }
      }
    }
    return out;
  },
};
