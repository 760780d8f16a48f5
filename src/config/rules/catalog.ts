import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { at, docsOf } from "../documents.js";
import { MODEL_TYPE_REQUIREMENTS } from "../../schema/prices.js";
import { modelsOf, sourceOf, str, type Rule } from "./types.js";

/** A model id names one row: two declarations (in any files) are a conflict. */
export const uniqueModelIds: Rule = {
  name: "unique-model-ids",
  needs: ["ModelCatalog"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    // Positions are looked up for duplicates only: a 10k-model catalog has none to report.
    const first = new Map<string, () => string>();
    for (const doc of docsOf(docs, "ModelCatalog")) {
      doc.data.models.forEach((m, i) => {
        const prev = first.get(m.model_id);
        if (prev) out.push(diagnostic("error", "catalog.duplicate-model", `model ${m.model_id} is declared twice (first at ${prev()})`, at(doc, ["models", i, "model_id"])));
        else
          first.set(m.model_id, () => {
            const pos = at(doc, ["models", i, "model_id"]);
            return `${pos.file}:${pos.line}`;
          });
      });
    }
    return out;
  },
};

/** Every model in a provider's file is that provider's. */
export const modelProviderMatchesFile: Rule = {
  name: "model-provider-matches-file",
  needs: ["ModelCatalog"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    for (const doc of docsOf(docs, "ModelCatalog")) {
      doc.data.models.forEach((m, i) => {
        if (m.provider !== undefined && m.provider !== doc.data.provider) {
          out.push(
            diagnostic(
              "error",
              "catalog.provider-mismatch",
              `model ${m.model_id} says provider ${m.provider} but is in the ${doc.data.provider} catalog; move it to models/${m.provider}.yaml`,
              at(doc, ["models", i, "provider"]),
            ),
          );
        }
      });
    }
    return out;
  },
};

/** Each model type has the price and limit fields the platform bills and caps with. */
export const modelTypeFields: Rule = {
  name: "model-type-fields",
  needs: ["ModelCatalog"],
  alone: true,
  check({ desired }) {
    const out: Diagnostic[] = [];
    for (const m of modelsOf(desired)) {
      const type = str(m.fields.model_type) ?? "";
      const missing = (MODEL_TYPE_REQUIREMENTS[type] ?? []).filter(({ anyOf }) => anyOf.every((field) => m.fields[field] == null));
      for (const { anyOf, why } of missing) {
        const fields = anyOf.map((f) => `\`${f}\``).join(" or ");
        out.push(diagnostic("error", "catalog.missing-price", `${type} model ${m.key.model_id} needs ${fields} (${why})`, sourceOf(m)));
      }
    }
    return out;
  },
};

export const modelDates: Rule = {
  name: "model-dates",
  needs: ["ModelCatalog"],
  alone: true,
  check({ desired }) {
    const out: Diagnostic[] = [];
    for (const m of modelsOf(desired)) {
      const release = str(m.fields.release_date);
      const deprecation = str(m.fields.deprecation_date);
      if (release && deprecation && deprecation <= release) {
        out.push(
          diagnostic(
            "error",
            "catalog.dates",
            `model ${m.key.model_id}: deprecation_date ${deprecation} must be after release_date ${release}`,
            sourceOf(m, "deprecation_date"),
          ),
        );
      }
    }
    return out;
  },
};

/**
 * Exactly one active default per model type that has active models; a default
 * must be active and not past its deprecation date; an active model past its
 * deprecation date is a warning (it still works, but not for long).
 */
export const modelDefaults: Rule = {
  name: "model-defaults",
  needs: ["ModelCatalog"],
  check({ desired, today }) {
    const out: Diagnostic[] = [];
    const models = modelsOf(desired);
    const types = [...new Set(models.map((m) => str(m.fields.model_type) ?? ""))].sort();
    for (const type of types) {
      const ofType = models.filter((m) => m.fields.model_type === type);
      const active = ofType.filter((m) => m.fields.is_active === true);
      const activeDefaults = active.filter((m) => m.fields.is_default === true);
      if (active.length > 0 && activeDefaults.length === 0) {
        out.push(
          diagnostic(
            "error",
            "catalog.no-default",
            `no active default ${type} model; set \`is_default: true\` on one of ${active.map((m) => m.key.model_id).join(", ")}`,
            sourceOf(active[0]!),
          ),
        );
      }
      if (activeDefaults.length > 1) {
        const names = activeDefaults.map((m) => m.key.model_id).join(", ");
        for (const m of activeDefaults.slice(1)) {
          out.push(diagnostic("error", "catalog.many-defaults", `more than one active default ${type} model (${names}); keep one`, sourceOf(m, "is_default")));
        }
      }
      for (const m of ofType.filter((m) => m.fields.is_default === true && m.fields.is_active !== true)) {
        out.push(
          diagnostic("error", "catalog.inactive-default", `model ${m.key.model_id} is a default but inactive; a default must be active`, sourceOf(m, "is_default")),
        );
      }
    }
    for (const m of models) {
      const deprecation = str(m.fields.deprecation_date);
      if (!deprecation || deprecation > today) continue;
      if (m.fields.is_default === true) {
        out.push(
          diagnostic(
            "error",
            "catalog.deprecated-default",
            `model ${m.key.model_id} was deprecated on ${deprecation} and cannot be a default; choose another default`,
            sourceOf(m, "is_default"),
          ),
        );
      } else if (m.fields.is_active === true) {
        out.push(
          diagnostic(
            "warning",
            "catalog.deprecated-active",
            `model ${m.key.model_id} is past its deprecation date ${deprecation} but still active; set \`is_active: false\``,
            sourceOf(m, "deprecation_date"),
          ),
        );
      }
    }
    return out;
  },
};
