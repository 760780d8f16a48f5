import { stringify } from "yaml";
import { INTEGRATION_PROVIDERS, PROVIDER_PARAMS, isSecret, type FieldValue, type Resource } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import { SCALAR_PRICES } from "../schema/prices.js";

const API_VERSION = "cfgsync/v1";

/** Money as a YAML number when that is exact, else as a string (it keeps every digit). */
function money(v: FieldValue): FieldValue {
  if (typeof v !== "string") return v;
  return String(Number(v)) === v ? Number(v) : v;
}

function compact(fields: Record<string, FieldValue>, moneyFields: readonly string[] = []): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined) continue;
    out[k] = moneyFields.includes(k) ? money(v) : v;
  }
  return out;
}

function doc(header: string, body: Record<string, unknown>): string {
  return `# yaml-language-server: $schema=${header}\n` + stringify({ apiVersion: API_VERSION, ...body }, { lineWidth: 0 });
}

const MODEL_MONEY = SCALAR_PRICES.map((p) => p.field);

/**
 * The live configuration as config/ files (adoption of an existing database):
 * relative path -> YAML text. API keys become `from_env` references, never values.
 */
export function exportLiveState(live: LiveState): Map<string, string> {
  const files = new Map<string, string>();
  const byKind = (kind: Resource["kind"]) => live.resources.filter((r) => r.kind === kind);

  const providers = new Map<string, Resource[]>();
  for (const m of byKind("model")) {
    const p = String(m.fields.provider);
    providers.set(p, [...(providers.get(p) ?? []), m]);
  }
  for (const [provider, models] of [...providers].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(
      `models/${provider}.yaml`,
      doc("../../schemas/model-catalog.schema.json", {
        kind: "ModelCatalog",
        provider,
        models: models.map((m) => {
          const { provider: _p, ...rest } = compact(m.fields, MODEL_MONEY);
          return { model_id: m.key.model_id, ...rest };
        }),
      }),
    );
  }

  const credits = byKind("credit");
  if (credits.length) {
    files.set(
      "credits.yaml",
      doc("../schemas/credit-costs.schema.json", {
        kind: "CreditCosts",
        operations: credits.map((c) => ({ operation_type: c.key.operation_type, ...compact(c.fields, ["price_per_credit_usd"]) })),
      }),
    );
  }

  const integration = byKind("integration")[0];
  if (integration) {
    const body = integrationDocument(integration);
    // Declared integration types (their own rows) join the seed's five under providers.
    for (const d of byKind("integration-type")) (body.providers as Record<string, unknown>)[d.key.integration_type!] = declaredIntegrationEntry(d);
    files.set("integrations.yaml", doc("../schemas/integration-settings.schema.json", body));
  }

  const schemas = byKind("settings-schema");
  if (schemas.length) {
    files.set(
      "settings-schemas.yaml",
      doc("../schemas/settings-schemas.schema.json", {
        kind: "SettingsSchemas",
        schemas: Object.fromEntries(schemas.map((s) => [s.key.key, s.fields.schema])),
      }),
    );
  }

  const accounts = new Map<string, { settings: Record<string, FieldValue>; integrations: Record<string, Record<string, FieldValue>> }>();
  const accountOf = (slug: string) => {
    let a = accounts.get(slug);
    if (!a) accounts.set(slug, (a = { settings: {}, integrations: {} }));
    return a;
  };
  for (const s of byKind("account-setting")) accountOf(s.key.account!).settings[s.key.key!] = s.fields.value ?? null;
  for (const i of byKind("account-integration")) accountOf(i.key.account!).integrations[i.key.integration_type!] = compact(i.fields, ["temperature"]);
  for (const [slug, a] of [...accounts].sort(([x], [y]) => x.localeCompare(y))) {
    const body: Record<string, unknown> = { kind: "Account", account: slug };
    if (Object.keys(a.settings).length) body.settings = a.settings;
    if (Object.keys(a.integrations).length) body.integrations = a.integrations;
    files.set(`accounts/${slug}.yaml`, doc("../../schemas/account.schema.json", body));
  }
  return files;
}

function declaredIntegrationEntry(r: Resource): Record<string, FieldValue> {
  const type = r.key.integration_type!;
  const { api_key: key, ...rest } = compact(r.fields, ["temperature"]);
  const entry: Record<string, FieldValue> = {};
  if (isSecret(key) && key.digest) entry.api_key = { from_env: `${type.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}_API_KEY` };
  return { ...entry, ...rest };
}

function integrationDocument(r: Resource): Record<string, unknown> {
  const providers: Record<string, Record<string, FieldValue>> = {};
  for (const p of INTEGRATION_PROVIDERS) {
    const entry: Record<string, FieldValue> = {};
    const key = r.fields[`${p}_api_key`];
    if (isSecret(key) && key.digest) entry.api_key = { from_env: `${p.toUpperCase()}_API_KEY` };
    for (const param of PROVIDER_PARAMS[p]) {
      const v = r.fields[`${p}_${param.name}`];
      if (v !== null && v !== undefined) entry[param.name] = param.type === "decimal" ? money(v) : v;
    }
    if (entry.model !== undefined) providers[p] = entry;
  }
  const globals = compact({
    default_text_provider: r.fields.default_text_provider ?? null,
    default_image_service: r.fields.default_image_service ?? null,
    image_quality: r.fields.image_quality ?? null,
    image_style: r.fields.image_style ?? null,
    max_in_article_images: r.fields.max_in_article_images ?? null,
    desktop_image_size: r.fields.desktop_image_size ?? null,
  });
  return { kind: "IntegrationSettings", providers, ...globals };
}
