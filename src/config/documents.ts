import type { SourceRef } from "../domain/diagnostic.js";
import type {
  AccountDoc,
  CreditCostsDoc,
  DocumentKind,
  IntegrationSettingsDoc,
  ModelCatalogDoc,
  PolicyDoc,
  SettingsSchemasDoc,
} from "../schema/documents.js";
import { documentStart, locate, type Path, type YamlDocument } from "./yaml-source.js";

interface DocData {
  ModelCatalog: ModelCatalogDoc;
  IntegrationSettings: IntegrationSettingsDoc;
  CreditCosts: CreditCostsDoc;
  SettingsSchemas: SettingsSchemasDoc;
  Account: AccountDoc;
  Policy: PolicyDoc;
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
