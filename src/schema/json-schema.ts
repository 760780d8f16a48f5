import { z } from "zod";
import { DOCUMENT_KINDS, DOCUMENT_SCHEMAS, type DocumentKind } from "./documents.js";

export const SCHEMA_BASE_ID = "https://cfgsync.dev/schemas/";

export function schemaFileName(kind: DocumentKind | "document"): string {
  return kind === "document" ? "document.schema.json" : `${kebab(kind)}.schema.json`;
}

function kebab(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** JSON Schema of one document kind, generated from its zod schema (the input side, strict objects). */
export function jsonSchemaFor(kind: DocumentKind): Record<string, unknown> {
  const schema = z.toJSONSchema(DOCUMENT_SCHEMAS[kind], { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return { ...schema, $id: SCHEMA_BASE_ID + schemaFileName(kind), title: kind };
}

/** Any document: dispatches on `kind` so an editor offers the right fields. */
export function documentJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SCHEMA_BASE_ID + schemaFileName("document"),
    title: "cfgsync document",
    type: "object",
    required: ["apiVersion", "kind"],
    properties: { kind: { enum: DOCUMENT_KINDS } },
    allOf: DOCUMENT_KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } }, required: ["kind"] },
      then: { $ref: schemaFileName(kind) },
    })),
  };
}

/** Every schema file and its content, as written to schemas/. */
export function allJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of DOCUMENT_KINDS) files.set(schemaFileName(kind), stringify(jsonSchemaFor(kind)));
  files.set(schemaFileName("document"), stringify(documentJsonSchema()));
  return files;
}

const stringify = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
