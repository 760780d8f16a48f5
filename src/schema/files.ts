import { fileURLToPath } from "node:url";
import type { DocumentKind } from "./document-kinds.js";

/*
 * The JSON Schema files of schemas/: where they are and what each is called
 * (schema/json-schema.ts generates, compares and writes them).
 */

export const SCHEMA_BASE_ID = "https://cfgsync.dev/schemas/";

export function schemaFileName(kind: DocumentKind | "document"): string {
  return kind === "document" ? "document.schema.json" : `${kebab(kind)}.schema.json`;
}

function kebab(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/**
 * The package's own schemas/ folder. Resolved from this module's location
 * (src/schema or dist/schema, both two levels below the root), so validation
 * works whatever the current directory is.
 */
export function packageSchemasDir(): string {
  return fileURLToPath(new URL("../../schemas/", import.meta.url));
}
