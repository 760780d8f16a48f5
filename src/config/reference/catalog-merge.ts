import { isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node, type ScalarTag, type YAMLMap } from "../../vendor/yaml.js";
import { decimalEquals, toDecimalString } from "../../domain/money.js";
import { appendAll } from "../../domain/append.js";
import { modelSchema } from "../../schema/documents.js";
import { SCALAR_PRICES } from "../../schema/prices.js";
import type { FieldUpdate, ImportReport, ReferenceModel } from "../../domain/price-reference.js";
import type { ReferenceCatalog } from "./litellm.js";

/*
 * Writes reference models into the catalog files, as a person would: a model
 * already in the catalog gets the reference's prices, limits and capabilities
 * and keeps everything a person decides (display name, is_active, is_default,
 * sort order, notes, release date) and every comment of its file; a new model
 * is appended inactive. Pure: file texts in, changed file texts out. Running it
 * again on its own output changes nothing.
 */

export interface CatalogFile {
  /** Relative to the configuration directory, forward slashes: `models/openai.yaml`. */
  path: string;
  text: string;
}

/** Fields the reference owns on a model that is already in the catalog. */
const REFERENCE_FIELDS = [
  ...SCALAR_PRICES.map((p) => p.field),
  "context_tiers",
  "image_prices",
  "available_sizes",
  "max_input_tokens",
  "max_output_tokens",
  "supports_json_mode",
  "supports_vision",
  "supports_tools",
  "deprecation_date",
];
const MONEY_FIELDS = new Set<string>(SCALAR_PRICES.map((p) => p.field));
/** The model schema's field order: new models are written in it. */
const FIELD_ORDER = Object.keys(modelSchema.shape);

/** A decimal written as plain YAML number text (`0.0000001`, never `1e-7`): money never becomes a float here. */
class MoneyText {
  constructor(readonly text: string) {}
}
const moneyTag: ScalarTag = {
  tag: "tag:cfgsync.dev,2026:money",
  default: true,
  identify: (v) => v instanceof MoneyText,
  // Never chosen when reading: a plain number resolves to the core float/int tags.
  test: /(?!)/,
  resolve: (s) => s,
  stringify: (item) => ((item as Scalar).value as MoneyText).text,
};
/** No line folding; `[a, b]` as the sample writes flow lists (yaml pads them by default). */
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false };
const PARSE_OPTIONS = { customTags: [moneyTag], keepSourceTokens: true, uniqueKeys: true };

interface Located {
  file: string;
  doc: Document;
  node: YAMLMap;
}

interface CatalogDoc {
  file: string;
  doc: Document;
  provider: string;
  models: Node;
}

export class CatalogFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export function mergeCatalog(
  files: readonly CatalogFile[],
  reference: ReferenceCatalog,
  opts: { providers?: readonly string[] } = {},
): { writes: Map<string, string>; report: ImportReport } {
  const parsed = new Map<string, Document[]>();
  const catalogs: CatalogDoc[] = [];
  const byId = new Map<string, Located>();
  for (const f of files) {
    const docs = parseAllDocuments(f.text, PARSE_OPTIONS) as Document[];
    const broken = docs.find((d) => d.errors.length > 0);
    // Merging around a file we cannot read would add its models a second time elsewhere.
    if (broken) throw new CatalogFileError(f.path, broken.errors[0]!.message.split("\n")[0]!);
    parsed.set(f.path, docs);
    for (const doc of docs) {
      if (doc.errors.length || !isMap(doc.contents) || doc.get("kind") !== "ModelCatalog") continue;
      const provider = doc.get("provider");
      const models = doc.get("models", true) as Node | undefined;
      if (typeof provider !== "string" || !isSeq(models)) continue;
      catalogs.push({ file: f.path, doc, provider, models });
      for (const item of models.items) {
        if (!isMap(item)) continue;
        const id = item.get("model_id");
        if (typeof id === "string" && !byId.has(id)) byId.set(id, { file: f.path, doc, node: item });
      }
    }
  }

  const selected = opts.providers?.length ? new Set(opts.providers) : null;
  const report: ImportReport = { added: [], updated: [], unchanged: 0, skipped: [], not_selected: 0, rounded: [], fields_without_place: [] };
  const changed = new Set<string>();
  const created = new Map<string, { provider: string; models: ReferenceModel[] }>();
  const isSelected = (provider: string) => !selected || selected.has(provider);

  for (const model of reference.models) {
    if (!isSelected(model.provider)) {
      report.not_selected += model.sourceKeys.length;
      continue;
    }
    appendAll(report.rounded, model.rounded);
    const found = byId.get(model.model_id);
    if (found) {
      const updates = updateModel(found, model);
      if (updates.length) {
        report.updated.push({ model_id: model.model_id, file: found.file, fields: updates });
        changed.add(found.file);
      } else {
        report.unchanged += 1;
      }
      continue;
    }
    const target = catalogs.filter((c) => c.provider === model.provider).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))[0];
    if (target) {
      (target.models as unknown as { add(n: unknown): void }).add(newModelNode(target.doc, model));
      changed.add(target.file);
      report.added.push({ model_id: model.model_id, provider: model.provider, file: target.file });
    } else {
      const path = `models/${model.provider}.yaml`;
      const entry = created.get(path) ?? { provider: model.provider, models: [] };
      entry.models.push(model);
      created.set(path, entry);
      report.added.push({ model_id: model.model_id, provider: model.provider, file: path });
    }
  }

  const writes = new Map<string, string>();
  for (const file of changed) writes.set(file, parsed.get(file)!.map((d) => d.toString(TO_STRING)).join(""));
  for (const [path, { provider, models }] of created) writes.set(path, newCatalogFile(provider, models));

  const skippedByReason = new Map<string, string[]>();
  for (const s of reference.skipped.filter((s) => !selected || (s.provider !== undefined && selected.has(s.provider)))) {
    skippedByReason.set(s.reason, [...(skippedByReason.get(s.reason) ?? []), s.key]);
  }
  report.skipped = [...skippedByReason].map(([reason, keys]) => ({ reason, count: keys.length, keys })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  report.fields_without_place = [...reference.unmappedFields]
    .map(([field, entries]) => ({ field, entries }))
    .sort((a, b) => b.entries - a.entries || (a.field < b.field ? -1 : 1));
  report.added.sort((a, b) => (a.model_id < b.model_id ? -1 : 1));
  return { writes, report };
}

function updateModel(at: Located, model: ReferenceModel): FieldUpdate[] {
  const updates: FieldUpdate[] = [];
  for (const field of REFERENCE_FIELDS) {
    const after = model.fields[field];
    if (after === undefined) continue;
    const current = at.node.get(field, true) as Node | undefined;
    const before = current === undefined ? undefined : nodeValue(current, MONEY_FIELDS.has(field));
    if (sameValue(field, before, after)) continue;
    updates.push({ field, before: before ?? null, after });
    const node = valueNode(at.doc, field, after);
    if (current && isScalar(current) && isScalar(node)) {
      // Keep the value's comment: only the value changes.
      current.value = node.value;
      delete (current as { format?: unknown }).format;
      delete (current as { minFractionDigits?: unknown }).minFractionDigits;
      current.tag = undefined;
    } else {
      at.node.set(field, node);
    }
  }
  return updates;
}

/**
 * A node's value with every number of a price read from its source text (or
 * the text we wrote), so no digit is lost to a float; lists are walked.
 */
function nodeValue(node: Node, money: boolean): unknown {
  if (isScalar(node)) {
    if (node.value instanceof MoneyText) return node.value.text;
    const source = (node.srcToken as { source?: string } | undefined)?.source;
    if (money && typeof node.value === "number" && source !== undefined && /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(source)) return source;
    return node.value;
  }
  if (isSeq(node)) return node.items.map((item) => nodeValue(item as Node, money));
  if (isMap(node)) {
    return Object.fromEntries(
      node.items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : pair.key), pair.value ? nodeValue(pair.value as Node, true) : null]),
    );
  }
  return (node as { toJSON(): unknown }).toJSON();
}

function sameValue(field: string, before: unknown, after: unknown): boolean {
  if (before === undefined || before === null) return false;
  if (MONEY_FIELDS.has(field)) return isDecimal(before) && decimalEquals(toDecimalString(before as string), after as string);
  return canonicalJson(before) === canonicalJson(after);
}

const isDecimal = (v: unknown) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v));

/** Lists compare with their decimals canonical (0.040 = 0.04) and keys in a fixed order. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === "object" && !Array.isArray(x)) {
      return Object.fromEntries(
        Object.entries(x as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, val]) => [k, isDecimal(val) ? toDecimalString(val as string) : val]),
      );
    }
    return x;
  });
}

/** A field's YAML node: money as plain decimal text, sizes as a flow list. */
function valueNode(doc: Document, field: string, value: unknown): Node {
  const node = doc.createNode(toYamlValue(field, value)) as Node;
  if (field === "available_sizes" && isSeq(node)) node.flow = true;
  if (field === "context_tiers" || field === "image_prices") {
    if (isSeq(node)) for (const item of node.items) if (isMap(item)) item.flow = true;
  }
  return node;
}

function toYamlValue(field: string, value: unknown): unknown {
  if (MONEY_FIELDS.has(field) && typeof value === "string") return new MoneyText(value);
  if (field === "context_tiers" || field === "image_prices") {
    return (value as Record<string, unknown>[]).map((item) =>
      Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === "string" && (k.endsWith("_rate") || k === "cost_per_image") ? new MoneyText(v) : v])),
    );
  }
  return value;
}

/** A new model: inactive (a person activates it), named by its id until a person names it. */
function newModelFields(model: ReferenceModel): [string, unknown][] {
  const values: Record<string, unknown> = { model_id: model.model_id, display_name: model.model_id, ...model.fields, is_active: false };
  return FIELD_ORDER.filter((f) => values[f] !== undefined).map((f) => [f, values[f]]);
}

function newModelNode(doc: Document, model: ReferenceModel): Node {
  const map = doc.createNode({}) as YAMLMap;
  for (const [field, value] of newModelFields(model)) map.set(field, valueNode(doc, field, value));
  return map;
}

function newCatalogFile(provider: string, models: ReferenceModel[]): string {
  const doc = parseAllDocuments(`apiVersion: cfgsync/v1\nkind: ModelCatalog\nprovider: x\nmodels: []\n`, PARSE_OPTIONS)[0] as Document;
  doc.set("provider", provider);
  const seq = doc.createNode([]) as Node & { add(n: unknown): void; flow?: boolean };
  seq.flow = false;
  for (const m of models) seq.add(newModelNode(doc, m));
  doc.set("models", seq);
  doc.commentBefore =
    ` yaml-language-server: $schema=../../schemas/model-catalog.schema.json\n` +
    ` ${provider} models imported from a LiteLLM price map by \`cfgsync catalog import\`.\n` +
    ` Prices are USD per 1M tokens, per image, per second, per 1k characters or per 1k queries.\n` +
    ` New models come in inactive: a person activates them.`;
  return doc.toString(TO_STRING);
}
