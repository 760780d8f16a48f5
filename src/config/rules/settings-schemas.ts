import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { createAjv } from "../ajv.js";
import { at, docsOf } from "../documents.js";
import type { Rule } from "./types.js";

/** The runtime validates users' settings against these: each must be a JSON Schema ajv can compile. */
export const settingsSchemasCompile: Rule = {
  name: "settings-schemas-compile",
  needs: ["SettingsSchemas"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    for (const doc of docsOf(docs, "SettingsSchemas")) {
      for (const [key, schema] of Object.entries(doc.data.schemas)) {
        try {
          createAjv().compile(schema as object);
        } catch (err) {
          const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
          out.push(diagnostic("error", "settings-schema.invalid", `settings schema ${key} is not a valid JSON Schema: ${reason}`, at(doc, ["schemas", key], "key")));
        }
      }
    }
    return out;
  },
};
