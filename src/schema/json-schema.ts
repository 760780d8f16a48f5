import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { DOCUMENT_KINDS, type DocumentKind } from "./document-kinds.js";
import { DOCUMENT_SCHEMAS, ENVIRONMENT_OVERRIDE_FIELDS } from "./documents.js";
import { SCHEMA_BASE_ID, schemaFileName } from "./files.js";

/** A zod schema as JSON Schema: the input side (what a file may say), strict objects. */
const toJsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;

/** JSON Schema of one document kind, generated from its zod schema. */
export function jsonSchemaFor(kind: DocumentKind): Record<string, unknown> {
  return { ...toJsonSchema(DOCUMENT_SCHEMAS[kind]), $id: SCHEMA_BASE_ID + schemaFileName(kind), title: kind };
}

/**
 * JSON Schema of each field an environment may override, by the kind of
 * address and the field (ENVIRONMENT_OVERRIDE_FIELDS): generated from the
 * base document's own field declaration, as that field's part of schemas/ is,
 * so a value an environment sets meets the rule the file's does.
 */
export function overrideFieldJsonSchemas(): Record<string, Record<string, Record<string, unknown>>> {
  return Object.fromEntries(
    Object.entries(ENVIRONMENT_OVERRIDE_FIELDS).map(([kind, fields]) => [
      kind,
      Object.fromEntries(Object.entries(fields).map(([field, schema]) => [field, toJsonSchema(schema)])),
    ]),
  );
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

export interface SchemaFileStatus {
  file: string;
  status: "current" | "stale" | "missing" | "extra";
}

/** Compares the generated schemas with what `dir` holds, without writing anything. */
export async function checkSchemaFiles(dir: string): Promise<SchemaFileStatus[]> {
  const expected = allJsonSchemas();
  const present = await listSchemaFiles(dir);
  const statuses: SchemaFileStatus[] = [];
  for (const [file, content] of expected) {
    const actual = present.has(file) ? await readFile(join(dir, file), "utf8") : undefined;
    statuses.push({ file, status: actual === undefined ? "missing" : actual === content ? "current" : "stale" });
  }
  for (const file of present) if (!expected.has(file)) statuses.push({ file, status: "extra" });
  return statuses.sort((a, b) => a.file.localeCompare(b.file));
}

/** Writes every generated schema into `dir`; returns the files whose content changed. */
export async function writeSchemaFiles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const changed: string[] = [];
  for (const status of await checkSchemaFiles(dir)) {
    const content = allJsonSchemas().get(status.file);
    if (content === undefined || status.status === "current") continue;
    await writeFile(join(dir, status.file), content);
    changed.push(status.file);
  }
  return changed;
}

async function listSchemaFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).filter((f) => f.endsWith(".schema.json")));
  } catch {
    return new Set();
  }
}
