import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { appendAll } from "../domain/append.js";
import { fieldType, type FieldValue, type JsonValue, type Resource } from "../domain/resources.js";
import type { DesiredState } from "../domain/state.js";
import { didYouMean } from "../domain/suggest.js";
import type { ModelDoc } from "../schema/documents.js";
import { API_VERSION } from "../schema/document-kinds.js";
import { describeErrors } from "./document-schema.js";
import { at, moneyAt, startOf, type DocOf } from "./documents.js";
import { priceDimensions } from "./normalise.js";
import { overridableFields, overrideValidator } from "./override-validators.js";
import { unknownPolicyOperations, unknownProtected } from "./rules/policy.js";

export type EnvironmentDocument = DocOf<"Environment">;

/**
 * An environment overlaid on the base desired state: each override checked
 * (the address exists, the field may be overridden, the value meets the base
 * document's own field declaration) and applied, each overlaid field keeping
 * where the environment sets it (`Resource.overlay`), so the plan can say
 * where a value comes from. The policy is the base one with the
 * environment's `policies` merged over it, field by field. Pure: the base
 * state is not changed.
 */
export function overlayEnvironment(base: DesiredState, env: EnvironmentDocument): { desired: DesiredState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [...environmentFileName(env)];
  const byAddress = new Map(base.resources.map((r) => [r.address, r]));
  const overlaid = new Map<string, Resource>();
  const secretRefs = [...base.secretRefs];
  const name = env.data.name;

  for (const [addr, overrides] of Object.entries(env.data.overrides ?? {})) {
    const resource = byAddress.get(addr);
    if (!resource) {
      diagnostics.push(
        diagnostic(
          "error",
          "environment.unknown-address",
          `environment ${name} overrides ${addr}, which the base configuration does not declare${didYouMean(addr, byAddress.keys())}`,
          at(env, ["overrides", addr], "key"),
        ),
      );
      continue;
    }
    const next: Resource = { ...resource, fields: { ...resource.fields }, fieldSources: { ...resource.fieldSources }, overlay: { ...resource.overlay } };
    for (const [field, value] of Object.entries(overrides)) {
      const path = ["overrides", addr, field];
      const validate = overrideValidator(resource.kind, field);
      if (!validate || !Object.hasOwn(resource.fields, field)) {
        diagnostics.push(
          diagnostic(
            "error",
            "environment.unknown-field",
            `environment ${name}: ${addr} has no field \`${field}\` an environment may override${didYouMean(field, overridableFields(resource.kind))}`,
            at(env, path, "key"),
          ),
        );
        continue;
      }
      if (!validate(value)) {
        // Said as validate says it of the base document's field; always an error: the value is not applied.
        for (const d of describeErrors(validate.errors ?? [], env.yaml, "Environment", path)) {
          diagnostics.push({ ...d, severity: "error", code: "environment.invalid-value" });
        }
        continue;
      }
      const where = at(env, path);
      next.fields[field] = overrideValue(env, path, resource, field, value);
      next.fieldSources![field] = where;
      next.overlay![field] = where;
      const ref = value as { from_env?: string };
      if (fieldType(resource.kind, field) === "secret" && ref.from_env) {
        const i = secretRefs.findIndex((s) => s.address === addr && s.field === field);
        const entry = { name: ref.from_env, address: addr, field, ...at(env, [...path, "from_env"]) };
        if (i >= 0) secretRefs[i] = entry;
        else secretRefs.push(entry);
      }
    }
    overlaid.set(addr, next);
  }

  const desired: DesiredState = {
    ...base,
    resources: base.resources.map((r) => overlaid.get(r.address) ?? r),
    secretRefs,
    environment: { name, ...startOf(env) },
  };
  const policies = env.data.policies;
  if (policies && Object.keys(policies).length) {
    const locate = (p: (string | number)[], part?: "value" | "key") => at(env, ["policies", ...p], part);
    appendAll(diagnostics, unknownPolicyOperations(policies, desired, locate));
    appendAll(diagnostics, unknownProtected(policies, desired, locate));
    desired.policy = { ...(base.policy ?? { apiVersion: API_VERSION, kind: "Policy" }), ...policies, source: at(env, ["policies"], "key") };
  }
  return { desired, diagnostics };
}

/** An override as the desired state holds the field: money from its written text, price lists canonical, keys by reference. */
function overrideValue(env: EnvironmentDocument, path: (string | number)[], resource: Resource, field: string, value: unknown): FieldValue {
  const type = fieldType(resource.kind, field);
  if (type === "secret") return { sensitive: true, digest: null, from_env: (value as { from_env: string }).from_env };
  if (type === "decimal") return moneyAt(env, path, value as number | string);
  if (resource.kind === "model" && (field === "context_tiers" || field === "image_prices")) {
    return priceDimensions(env, path.slice(0, -1), { [field]: value } as Partial<ModelDoc>)[field]!;
  }
  return structuredClone(value) as JsonValue;
}

/** config/environments/<name>.yaml: the file says which environment it holds. */
function environmentFileName(env: EnvironmentDocument): Diagnostic[] {
  const parts = env.yaml.file.split("/");
  const base = parts[parts.length - 1]!.replace(/\.ya?ml$/i, "");
  if (base === env.data.name && parts[parts.length - 2] === "environments") return [];
  return [
    diagnostic(
      "error",
      "environment.file-name",
      `environment ${env.data.name} must live in environments/${env.data.name}.yaml (under the config directory), not ${env.yaml.file}`,
      at(env, ["name"]),
    ),
  ];
}

