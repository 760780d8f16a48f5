import { stringify } from "../vendor/yaml.js";
import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { INTEGRATION_TYPE_NAME, type DocumentKind } from "../schema/document-kinds.js";
import { SLUG_TEXT } from "../schema/fields.js";
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

/** Where a written file finds the JSON Schema of its kind (relative to the file: editors resolve it so). */
export type SchemaHref = (relPath: string, kind: DocumentKind) => string;

export interface ExportResult {
  /** Relative path (built from validated slugs only) -> YAML text. */
  files: Map<string, string>;
  /** Rows that cannot become a file (a slug that is no file name): reported, not written. */
  skipped: Diagnostic[];
}

const MODEL_MONEY = SCALAR_PRICES.map((p) => p.field);

/**
 * The live configuration as config/ files (adoption of an existing database):
 * relative path -> YAML text. API keys become `from_env` references, never values.
 */
export function exportLiveState(live: LiveState, schemaHref: SchemaHref): ExportResult {
  const files = new Map<string, string>();
  const skipped: Diagnostic[] = [];
  const add = (rel: string, kind: DocumentKind, body: Record<string, unknown>) =>
    files.set(rel, `# yaml-language-server: $schema=${schemaHref(rel, kind)}\n` + stringify({ apiVersion: API_VERSION, kind, ...body }, { lineWidth: 0 }));
  // A file name comes from a database row: only a valid slug may become one (no `/`, no `..`).
  const safeSlug = (slug: string, what: string, rows: number) => {
    if (SLUG_TEXT.test(slug)) return true;
    skipped.push(diagnostic("error", "export.unsafe-name", `skipped ${rows} ${what} row(s) of ${inert(JSON.stringify(slug))}: not a valid slug, so not a file name`));
    return false;
  };
  const byKind = (kind: Resource["kind"]) => live.resources.filter((r) => r.kind === kind);

  const providers = new Map<string, Resource[]>();
  for (const m of byKind("model")) {
    const p = String(m.fields.provider);
    providers.set(p, [...(providers.get(p) ?? []), m]);
  }
  for (const [provider, models] of [...providers].sort(([a], [b]) => a.localeCompare(b))) {
    if (!safeSlug(provider, "model (provider)", models.length)) continue;
    add(
      `models/${provider}.yaml`,
      "ModelCatalog",
      {
        provider,
        models: models.map((m) => {
          const { provider: _p, ...rest } = compact(m.fields, MODEL_MONEY);
          return { model_id: m.key.model_id, ...rest };
        }),
      },
    );
  }

  const credits = byKind("credit");
  if (credits.length) {
    add("credits.yaml", "CreditCosts", {
      operations: credits.map((c) => ({ operation_type: c.key.operation_type, ...compact(c.fields, ["price_per_credit_usd"]) })),
    });
  }

  const integration = byKind("integration")[0];
  if (integration) {
    const body = integrationDocument(integration);
    const providers = body.providers as Record<string, unknown>;
    // Declared integration types (their own rows) join the seed's five under providers; a row
    // whose name validate would refuse (or that could reach a prototype) is reported, not written.
    for (const d of byKind("integration-type")) {
      const type = d.key.integration_type!;
      if (!INTEGRATION_TYPE_NAME.test(type)) {
        skipped.push(diagnostic("error", "export.unsafe-name", `skipped the declared integration type ${inert(JSON.stringify(type))}: not a valid integration type name`));
        continue;
      }
      providers[type] = declaredIntegrationEntry(d);
    }
    add("integrations.yaml", "IntegrationSettings", body);
  }

  const schemas = byKind("settings-schema");
  if (schemas.length) {
    add("settings-schemas.yaml", "SettingsSchemas", {
      schemas: Object.fromEntries(schemas.map((s) => [s.key.key, s.fields.schema])),
    });
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
    if (!safeSlug(slug, "account", Object.keys(a.settings).length + Object.keys(a.integrations).length)) continue;
    const body: Record<string, unknown> = { account: slug };
    if (Object.keys(a.settings).length) body.settings = a.settings;
    if (Object.keys(a.integrations).length) body.integrations = a.integrations;
    add(`accounts/${slug}.yaml`, "Account", body);
  }
  return { files, skipped };
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
  return { providers, ...globals };
}
