import type { SourceRef } from "../domain/diagnostic.js";
import { toDecimalString } from "../domain/money.js";
import type { AccountDoc, CreditCostsDoc, EnvironmentDoc, IntegrationSettingsDoc, ModelCatalogDoc, PolicyDoc, SettingsSchemasDoc } from "../schema/documents.js";
import type { DocumentKind } from "../schema/document-kinds.js";
import { documentStart, locate, writtenNumber, type Path, type YamlDocument } from "./yaml-source.js";

interface DocData {
  ModelCatalog: ModelCatalogDoc;
  IntegrationSettings: IntegrationSettingsDoc;
  CreditCosts: CreditCostsDoc;
  SettingsSchemas: SettingsSchemasDoc;
  Account: AccountDoc;
  Policy: PolicyDoc;
  Environment: EnvironmentDoc;
}

/** A document that passed its JSON Schema: its data has the documented shape. */
export type ConfigDocument = { [K in DocumentKind]: { kind: K; data: DocData[K]; yaml: YamlDocument } }[DocumentKind];
export type DocOf<K extends DocumentKind> = Extract<ConfigDocument, { kind: K }>;

export function docsOf<K extends DocumentKind>(docs: readonly ConfigDocument[], kind: K): DocOf<K>[] {
  return docs.filter((d): d is DocOf<K> => d.kind === kind);
}

/** Where a value (or its key) is written. */
export function at(doc: ConfigDocument, path: Path, part: "value" | "key" = "value"): SourceRef {
  return locate(doc.yaml, path, part);
}

export function startOf(doc: ConfigDocument): SourceRef {
  return documentStart(doc.yaml);
}

/**
 * A money value from the text the author wrote at `path` (never through a JS
 * float), canonical when it is a plain decimal; otherwise the text as written,
 * which the money rules (rules/fields.ts) report at its line.
 */
export function moneyAt(doc: ConfigDocument, path: Path, v: number | string | undefined): string | null {
  if (v === undefined) return null;
  const text = typeof v === "number" ? writtenNumber(doc.yaml, path, v) : v;
  return /^\d+(\.\d+)?$/.test(text) ? toDecimalString(text) : text;
}
