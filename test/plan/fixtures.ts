import { MODEL_FIELDS, CREDIT_FIELDS, address, type FieldValue, type Resource } from "../../src/domain/resources.js";
import type { UsageAggregate } from "../../src/domain/usage.js";

/** A model resource with every field present, as the loader and the store produce it. */
export function model(id: string, fields: Record<string, FieldValue> = {}): Resource {
  const base: Record<string, FieldValue> = Object.fromEntries(MODEL_FIELDS.map((f) => [f.name, null]));
  Object.assign(base, {
    display_name: id,
    model_type: "text",
    provider: "openai",
    supports_json_mode: false,
    supports_vision: false,
    supports_tools: false,
    is_active: true,
    is_default: false,
    sort_order: 0,
  });
  return { address: address.model(id), kind: "model", key: { model_id: id }, fields: { ...base, ...fields } };
}

export function imageModel(id: string, cost: string, fields: Record<string, FieldValue> = {}): Resource {
  return model(id, { model_type: "image", cost_per_image: cost, available_sizes: ["1024x1024"], ...fields });
}

export function credit(op: string, fields: Record<string, FieldValue>): Resource {
  const base: Record<string, FieldValue> = Object.fromEntries(CREDIT_FIELDS.map((f) => [f.name, null]));
  return { address: address.credit(op), kind: "credit", key: { operation_type: op }, fields: { ...base, is_active: true, ...fields } };
}

export const imageGeneration = () =>
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" });

/** One (account, operation, model) group of the usage log as the reader sums it; zeros unless given. */
export function usageAggregate(a: Partial<UsageAggregate> & Pick<UsageAggregate, "operation_type" | "model_id" | "calls">): UsageAggregate {
  return {
    account: "acme",
    images: 0,
    tokens: 0,
    recorded_credits: 0,
    recorded_cost_usd: "0",
    split_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    split_cost_usd: "0",
    token_credits: {},
    ...a,
  };
}
