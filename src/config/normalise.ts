import type { SourceRef } from "../domain/diagnostic.js";
import { appendAll } from "../domain/append.js";
import {
  INTEGRATION_PROVIDERS,
  KIND_ORDER,
  MODEL_FIELDS,
  OVERRIDE_FIELDS,
  PROVIDER_PARAMS,
  address,
  type FieldValue,
  type JsonValue,
  type Resource,
} from "../domain/resources.js";
import { isIntegrationType } from "../domain/inheritance.js";
import type { DesiredState } from "../domain/state.js";
import { instantText, type ScheduledEntry } from "../domain/schedule.js";
import type { DeclaredIntegrationDoc, ModelDoc } from "../schema/documents.js";
import { SCALAR_PRICES, TIER_RATES, type ScalarPriceField } from "../schema/prices.js";
import { at, docsOf, moneyAt, startOf, type ConfigDocument, type DocOf } from "./documents.js";
import { locateFields, type Path } from "./yaml-source.js";

/**
 * Schema-valid documents -> the desired state: every field of every resource
 * spelled out (absent -> null or the platform's default), decimals canonical,
 * each resource and written field with its source position.
 */
export function normalise(docs: readonly ConfigDocument[]): DesiredState {
  const resources: Resource[] = [];
  const secretRefs: DesiredState["secretRefs"] = [];
  const seen = new Set<string>();
  // A duplicate is reported by a rule; the first declaration wins so the state stays well-formed.
  const add = (r: Resource) => {
    if (!seen.has(r.address)) (seen.add(r.address), resources.push(r));
  };

  const schedule: PendingEntry[] = [];
  for (const doc of docsOf(docs, "ModelCatalog")) modelResources(doc, schedule).forEach(add);
  for (const doc of docsOf(docs, "CreditCosts")) creditResources(doc, schedule).forEach(add);
  const integration = docsOf(docs, "IntegrationSettings")[0];
  if (integration) add(integrationResource(integration, secretRefs));
  if (integration) declaredIntegrationResources(integration, resources, secretRefs).forEach(add);
  for (const doc of docsOf(docs, "SettingsSchemas")) settingsSchemaResources(doc).forEach(add);
  for (const doc of docsOf(docs, "Account")) accountResources(doc).forEach(add);

  const accounts = docsOf(docs, "Account").map((doc) => ({ slug: doc.data.account, ...at(doc, ["account"]) }));
  const policyDoc = docsOf(docs, "Policy")[0];
  // A duplicate resource's entries go with it: only the first declaration's are kept.
  const first = new Set(resources.map((r) => r.source));
  const kept = schedule.filter((e) => first.has(e.owner)).map(({ owner: _owner, ...e }) => e);
  const desired: DesiredState = { resources: sortResources(resources), accounts, secretRefs, schedule: kept };
  if (policyDoc) desired.policy = { ...policyDoc.data, source: startOf(policyDoc) };
  return desired;
}

export function sortResources(resources: Resource[]): Resource[] {
  const rank = (r: Resource) => KIND_ORDER.indexOf(r.kind);
  return resources.sort((a, b) => rank(a) - rank(b) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Positions of the fields the author wrote, under `base` in the document. */
function writtenSources(doc: ConfigDocument, base: (string | number)[], written: object, rename: (k: string) => string = (k) => k) {
  const sources: Record<string, SourceRef> = {};
  const positions = locateFields(doc.yaml, base);
  for (const k of Object.keys(written)) sources[rename(k)] = positions.get(k) ?? at(doc, [...base, k]);
  return sources;
}

/** A scheduled entry while normalising: `owner` is its resource's source (to drop a duplicate resource's entries). */
type PendingEntry = ScheduledEntry & { owner: Resource["source"] };

/**
 * The `scheduled:` entries under `base` (a model or operation), each field
 * normalised by `value` exactly as the resource's own field is.
 */
function scheduledEntries<E extends { effective_from: string }>(
  doc: ConfigDocument,
  base: Path,
  entries: readonly E[] | undefined,
  owner: Pick<Resource, "address" | "source">,
  normalised: (path: Path, entry: E) => Record<string, FieldValue>,
): PendingEntry[] {
  return (entries ?? []).map((entry, j) => {
    const path = [...base, "scheduled", j];
    const values = normalised(path, entry);
    const fields: Record<string, FieldValue> = {};
    for (const [name, raw] of Object.entries(entry)) {
      if (name !== "effective_from" && raw !== undefined) fields[name] = name in values && values[name] !== null ? values[name]! : (raw as FieldValue);
    }
    const fieldSources = writtenSources(doc, path, entry);
    delete fieldSources.effective_from;
    const instant = Date.parse(entry.effective_from);
    return { address: owner.address, effective_from: instantText(instant), at: instant, fields, source: at(doc, [...path, "effective_from"]), fieldSources, owner: owner.source };
  });
}

function modelResources(doc: DocOf<"ModelCatalog">, schedule: PendingEntry[]): Resource[] {
  return doc.data.models.map((m, i) => {
    const values: Record<string, FieldValue> = {
      display_name: m.display_name,
      model_type: m.model_type,
      provider: m.provider ?? doc.data.provider,
      max_input_tokens: m.max_input_tokens ?? null,
      max_output_tokens: m.max_output_tokens ?? null,
      available_sizes: m.available_sizes ? [...m.available_sizes] : null,
      supports_json_mode: m.supports_json_mode ?? false,
      supports_vision: m.supports_vision ?? false,
      supports_tools: m.supports_tools ?? false,
      is_active: m.is_active ?? true,
      is_default: m.is_default ?? false,
      sort_order: m.sort_order ?? 0,
      notes: m.notes ?? null,
      release_date: m.release_date ?? null,
      deprecation_date: m.deprecation_date ?? null,
      ...priceDimensions(doc, ["models", i], m),
    };
    const fields: Record<string, FieldValue> = {};
    for (const spec of MODEL_FIELDS) fields[spec.name] = values[spec.name] ?? null;
    const resource: Resource = { address: address.model(m.model_id), kind: "model", key: { model_id: m.model_id }, fields, source: at(doc, ["models", i]) };
    // An entry's prices are read as the model's own are (money from its source text, tiers sorted).
    appendAll(schedule, scheduledEntries(doc, ["models", i], m.scheduled, resource, (path, entry) => priceDimensions(doc, path, entry)));
    // Field positions are only read to point a diagnostic at a field: found when first asked for
    // (a 10k-model catalog has 100k written fields, and a valid one is never asked).
    return withLazyFieldSources(resource, () => {
      const sources = writtenSources(doc, ["models", i], m);
      delete sources.model_id;
      delete sources.scheduled;
      return sources;
    });
  });
}

function withLazyFieldSources(resource: Resource, find: () => Record<string, SourceRef>): Resource {
  let found: Record<string, SourceRef> | undefined;
  return Object.defineProperty(resource, "fieldSources", { get: () => (found ??= find()), enumerable: true, configurable: true });
}

/**
 * Every price of the model (or scheduled entry) at `base`, a catalog's model or an
 * environment's override of one, each read from the text the author wrote
 * (moneyAt): scalars canonical, lists with canonical decimal strings.
 */
export function priceDimensions(doc: ConfigDocument, base: Path, m: Pick<ModelDoc, ScalarPriceField | "context_tiers" | "image_prices">): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const { field } of SCALAR_PRICES) values[field] = moneyAt(doc, [...base, field], m[field]);
  values.context_tiers = m.context_tiers
    ? m.context_tiers
        .map((tier, j) => {
          const out: Record<string, JsonValue> = { above_input_tokens: tier.above_input_tokens };
          for (const rate of TIER_RATES) if (tier[rate] !== undefined) out[rate] = moneyAt(doc, [...base, "context_tiers", j, rate], tier[rate]);
          return out;
        })
        .sort((a, b) => (a.above_input_tokens as number) - (b.above_input_tokens as number))
    : null;
  values.image_prices = m.image_prices
    ? m.image_prices.map((p, j) => ({
        size: p.size,
        quality: p.quality,
        cost_per_image: moneyAt(doc, [...base, "image_prices", j, "cost_per_image"], p.cost_per_image),
      }))
    : null;
  return values;
}

function creditResources(doc: DocOf<"CreditCosts">, schedule: PendingEntry[]): Resource[] {
  return doc.data.operations.map((op, i) => {
    const fieldSources = writtenSources(doc, ["operations", i], op);
    delete fieldSources.operation_type;
    delete fieldSources.scheduled;
    const source = at(doc, ["operations", i]);
    schedule.push(
      ...scheduledEntries(doc, ["operations", i], op.scheduled, { address: address.credit(op.operation_type), source }, (path, entry) => ({
        price_per_credit_usd: moneyAt(doc, [...path, "price_per_credit_usd"], entry.price_per_credit_usd),
      })),
    );
    return {
      address: address.credit(op.operation_type),
      kind: "credit",
      key: { operation_type: op.operation_type },
      fields: {
        display_name: op.display_name ?? null,
        unit: op.unit,
        credits: op.credits ?? null,
        tokens_per_credit: op.tokens_per_credit ?? null,
        min_credits: op.min_credits,
        price_per_credit_usd: moneyAt(doc, ["operations", i, "price_per_credit_usd"], op.price_per_credit_usd),
        is_active: op.is_active ?? true,
      },
      source,
      fieldSources,
    };
  });
}

function integrationResource(doc: DocOf<"IntegrationSettings">, secretRefs: DesiredState["secretRefs"]): Resource {
  const d = doc.data;
  const fields: Record<string, FieldValue> = {};
  const fieldSources: Record<string, SourceRef> = {};
  for (const p of INTEGRATION_PROVIDERS) {
    const settings = d.providers[p] as Record<string, unknown> | undefined;
    const apiKey = settings?.api_key as { from_env: string } | undefined;
    fields[`${p}_api_key`] = apiKey ? { sensitive: true, digest: null, from_env: apiKey.from_env } : null;
    if (apiKey) {
      const pos = at(doc, ["providers", p, "api_key", "from_env"]);
      fieldSources[`${p}_api_key`] = pos;
      secretRefs.push({ name: apiKey.from_env, address: address.integration(), field: `${p}_api_key`, ...pos });
    }
    for (const param of PROVIDER_PARAMS[p]) {
      const raw = settings?.[param.name] as string | number | undefined;
      fields[`${p}_${param.name}`] = param.type === "decimal" ? moneyAt(doc, ["providers", p, param.name], raw) : (raw ?? null);
      if (raw !== undefined) fieldSources[`${p}_${param.name}`] = at(doc, ["providers", p, param.name]);
    }
  }
  const globals = {
    default_text_provider: d.default_text_provider ?? null,
    default_image_service: d.default_image_service ?? null,
    image_quality: d.image_quality ?? "standard",
    image_style: d.image_style ?? null,
    max_in_article_images: d.max_in_article_images ?? 2,
    desktop_image_size: d.desktop_image_size ?? "1024x1024",
  };
  for (const [name, value] of Object.entries(globals)) {
    fields[name] = value;
    if (name in d) fieldSources[name] = at(doc, [name]);
  }
  return { address: address.integration(), kind: "integration", key: { id: "1" }, fields, source: startOf(doc), fieldSources };
}

/**
 * Integration types the document declares beyond the seed's five: one
 * resource each. Provider defaults to the type's name, model type to its
 * default model's (from the catalog resources built before it).
 */
function declaredIntegrationResources(
  doc: DocOf<"IntegrationSettings">,
  catalog: readonly Resource[],
  secretRefs: DesiredState["secretRefs"],
): Resource[] {
  const modelType = new Map(catalog.filter((r) => r.kind === "model").map((r) => [r.key.model_id, r.fields.model_type]));
  return Object.entries(doc.data.providers)
    .filter(([type]) => !isIntegrationType(type))
    .map(([type, raw]) => {
      const settings = raw as DeclaredIntegrationDoc;
      const addr = address.integrationType(type);
      const fieldSources = writtenSources(doc, ["providers", type], settings);
      const apiKey = settings.api_key;
      if (apiKey) {
        const pos = at(doc, ["providers", type, "api_key", "from_env"]);
        fieldSources.api_key = pos;
        secretRefs.push({ name: apiKey.from_env, address: addr, field: "api_key", ...pos });
      }
      const fields: Record<string, FieldValue> = {
        provider: settings.provider ?? type,
        model_type: settings.model_type ?? (modelType.get(settings.model) as string | undefined) ?? null,
        api_key: apiKey ? { sensitive: true, digest: null, from_env: apiKey.from_env } : null,
        model: settings.model,
        temperature: moneyAt(doc, ["providers", type, "temperature"], settings.temperature),
        max_tokens: settings.max_tokens ?? null,
        size: settings.size ?? null,
      };
      return { address: addr, kind: "integration-type", key: { integration_type: type }, fields, source: at(doc, ["providers", type], "key"), fieldSources };
    });
}

function settingsSchemaResources(doc: DocOf<"SettingsSchemas">): Resource[] {
  return Object.entries(doc.data.schemas).map(([key, schema]) => ({
    address: address.settingsSchema(key),
    kind: "settings-schema",
    key: { key },
    fields: { schema: schema as JsonValue },
    source: at(doc, ["schemas", key], "key"),
    fieldSources: { schema: at(doc, ["schemas", key]) },
  }));
}

function accountResources(doc: DocOf<"Account">): Resource[] {
  const account = doc.data.account;
  const settings: Resource[] = Object.entries(doc.data.settings ?? {}).map(([key, value]) => ({
    address: address.accountSetting(account, key),
    kind: "account-setting",
    key: { account, key },
    fields: { value: (value ?? null) as JsonValue },
    source: at(doc, ["settings", key], "key"),
    fieldSources: { value: at(doc, ["settings", key]) },
  }));
  const integrations: Resource[] = Object.entries(doc.data.integrations ?? {}).map(([type, override]) => {
    const o = (override ?? {}) as Record<string, string | number | undefined>;
    const fields: Record<string, FieldValue> = {};
    for (const spec of OVERRIDE_FIELDS) {
      const raw = o[spec.name];
      fields[spec.name] = spec.type === "decimal" ? moneyAt(doc, ["integrations", type, spec.name], raw) : (raw ?? null);
    }
    return {
      address: address.accountIntegration(account, type),
      kind: "account-integration",
      key: { account, integration_type: type },
      fields,
      source: at(doc, ["integrations", type], "key"),
      fieldSources: writtenSources(doc, ["integrations", type], o),
    };
  });
  return [...settings, ...integrations];
}
