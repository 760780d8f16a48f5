import { MODEL_FIELDS, OVERRIDE_FIELDS, address, type FieldValue, type Resource } from "../src/domain/resources.js";
import type { DesiredState } from "../src/domain/state.js";

/**
 * Synthetic desired state at scale: `models` models and one integration
 * override per account. Deterministic, so runs compare.
 */
export function syntheticDesired(opts: { models: number; accounts: number; priceBump?: { every: number; by: string } }): DesiredState {
  const resources: Resource[] = [];
  for (let i = 0; i < opts.models; i++) {
    const id = `bench-model-${String(i).padStart(6, "0")}`;
    const image = i % 4 === 0;
    const fields: Record<string, FieldValue> = Object.fromEntries(MODEL_FIELDS.map((f) => [f.name, null]));
    const bumped = opts.priceBump && i % opts.priceBump.every === 0;
    Object.assign(fields, {
      display_name: `Bench model ${i}`,
      model_type: image ? "image" : "text",
      provider: "openai",
      supports_json_mode: !image,
      supports_vision: false,
      supports_tools: !image,
      is_active: true,
      is_default: i < 2,
      sort_order: i,
      notes: null,
    });
    if (image) Object.assign(fields, { cost_per_image: bumped ? opts.priceBump!.by : `0.0${(i % 9) + 1}`, available_sizes: ["1024x1024"] });
    else
      Object.assign(fields, {
        input_token_rate: `${(i % 7) + 1}.25`,
        output_token_rate: bumped ? opts.priceBump!.by : `${(i % 11) + 2}.5`,
        max_input_tokens: 128000,
        max_output_tokens: 16384,
      });
    resources.push({ address: address.model(id), kind: "model", key: { model_id: id }, fields });
  }
  for (let a = 0; a < opts.accounts; a++) {
    const slug = accountSlug(a);
    const fields: Record<string, FieldValue> = Object.fromEntries(OVERRIDE_FIELDS.map((f) => [f.name, null]));
    const bumped = opts.priceBump && a % opts.priceBump.every === 0;
    Object.assign(fields, { model: "gpt-4o-mini", temperature: bumped ? "0.9" : "0.4", max_tokens: 4096 });
    resources.push({
      address: address.accountIntegration(slug, "openai"),
      kind: "account-integration",
      key: { account: slug, integration_type: "openai" },
      fields,
    });
  }
  resources.sort((x, y) => (x.kind === y.kind ? (x.address < y.address ? -1 : 1) : x.kind === "model" ? -1 : 1));
  return { resources, accounts: [], secretRefs: [] };
}

export const accountSlug = (i: number) => `bench-account-${String(i).padStart(6, "0")}`;
