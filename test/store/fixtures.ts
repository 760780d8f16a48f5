import {
  address,
  CREDIT_FIELDS,
  INTEGRATION_FIELDS,
  INTEGRATION_PROVIDERS,
  INTEGRATION_TYPE_FIELDS,
  OVERRIDE_FIELDS,
  isSecret,
  type FieldSpec,
  type FieldValue,
  type Resource,
} from "../../src/domain/resources.js";
import { stateDigest } from "../../src/plan/digest.js";
import { testSecretDigest as secretDigest } from "../helpers/secret-salt.js";
import type { ApplyRequest } from "../../src/store/types.js";
import type { LiveState } from "../../src/domain/state.js";
import { model as baseModel } from "../plan/fixtures.js";

const nulls = (specs: FieldSpec[]) => Object.fromEntries(specs.map((s) => [s.name, null])) as Record<string, FieldValue>;

/** The plan tests' model, with token rates: the store tests write text models. */
export function model(id: string, fields: Record<string, FieldValue> = {}): Resource {
  return baseModel(id, { display_name: id.toUpperCase(), input_token_rate: "2", output_token_rate: "8", ...fields });
}

export function credit(op: string, fields: Record<string, FieldValue> = {}): Resource {
  return {
    address: address.credit(op),
    kind: "credit",
    key: { operation_type: op },
    fields: { ...nulls(CREDIT_FIELDS), unit: "tokens", tokens_per_credit: 100, min_credits: 2, price_per_credit_usd: "0.01", is_active: true, ...fields },
  };
}

export const SECRETS = {
  OPENAI_API_KEY: "sk-test-openai-0123456789abcdef",
  ANTHROPIC_API_KEY: "sk-ant-test-0123456789abcdef",
};

export function integration(fields: Record<string, FieldValue> = {}): Resource {
  const f: Record<string, FieldValue> = { ...nulls(INTEGRATION_FIELDS) };
  for (const p of INTEGRATION_PROVIDERS) f[`${p}_api_key`] = { sensitive: true, digest: null };
  f.openai_api_key = { sensitive: true, digest: secretDigest(SECRETS.OPENAI_API_KEY), from_env: "OPENAI_API_KEY" };
  f.anthropic_api_key = { sensitive: true, digest: secretDigest(SECRETS.ANTHROPIC_API_KEY), from_env: "ANTHROPIC_API_KEY" };
  Object.assign(f, {
    openai_model: "gpt-4o-mini",
    openai_temperature: "0.7",
    openai_max_tokens: 8192,
    dalle_model: "dall-e-3",
    dalle_size: "1024x1024",
    default_text_provider: "openai",
    default_image_service: "openai",
    image_quality: "standard",
    max_in_article_images: 2,
    desktop_image_size: "1024x1024",
    ...fields,
  });
  return { address: address.integration(), kind: "integration", key: { id: "1" }, fields: f };
}

/** An integration type declared in config beyond the seed's five (its own row in integration_type_settings). */
export function integrationType(type: string, fields: Record<string, FieldValue> = {}): Resource {
  return {
    address: address.integrationType(type),
    kind: "integration-type",
    key: { integration_type: type },
    fields: { ...nulls(INTEGRATION_TYPE_FIELDS), api_key: { sensitive: true, digest: null }, provider: "google", model_type: "text", model: "gemini-2.5-pro", ...fields },
  };
}

export function settingsSchema(key: string, schema: FieldValue): Resource {
  return { address: address.settingsSchema(key), kind: "settings-schema", key: { key }, fields: { schema } };
}

export function accountSetting(account: string, key: string, value: FieldValue): Resource {
  return { address: address.accountSetting(account, key), kind: "account-setting", key: { account, key }, fields: { value } };
}

export function accountIntegration(account: string, type: string, fields: Record<string, FieldValue>): Resource {
  return {
    address: address.accountIntegration(account, type),
    kind: "account-integration",
    key: { account, integration_type: type },
    fields: { ...nulls(OVERRIDE_FIELDS), ...fields },
  };
}

/** Desired state as live state shows it: secrets without the env var name. */
export function asLive(r: Resource): Resource {
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(r.fields)) fields[k] = isSecret(v) ? { sensitive: true, digest: v.digest } : v;
  return { address: r.address, kind: r.kind, key: r.key, fields };
}

export function request(
  live: LiveState,
  changes: Partial<Pick<ApplyRequest, "creates" | "updates" | "deletes">>,
  extra: Partial<ApplyRequest> = {},
): ApplyRequest {
  const creates = changes.creates ?? [];
  const updates = changes.updates ?? [];
  const deletes = changes.deletes ?? [];
  return {
    creates,
    updates,
    deletes,
    managedState: {
      upsert: [...creates, ...updates].map((r) => ({ address: r.address, kind: r.kind, fields: r.fields })),
      remove: deletes.map((r) => r.address),
    },
    secrets: { ...SECRETS },
    revision: {
      actor: "test",
      git_commit: "abc123",
      plan_digest: "sha256:plan",
      config_digest: "sha256:config",
      state_digest: stateDigest(live),
      summary: { create: creates.length, update: updates.length, delete: deletes.length },
      changes: [...creates, ...updates].map((r) => ({ address: r.address })),
    },
    expectedStateDigest: stateDigest(live),
    ...extra,
  };
}
