import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/*
 * The columns prisma/models.prisma declares, read from that file (the one
 * source of the database schema; it ships with the package). The store
 * derives what it needs from here instead of keeping a hand copy, and a test
 * holds the field declarations of src/schema against it.
 */

export type PrismaScalar = "Int" | "String" | "Boolean" | "DateTime" | "Json" | "Money";

export interface PrismaColumn {
  name: string;
  type: PrismaScalar;
  nullable: boolean;
  /** `@id`: the primary key. */
  id: boolean;
  /** `@default(...)` or `@updatedAt`: the database fills it when a write leaves it out. */
  hasDefault: boolean;
  /** `@db.VarChar(n)` / `@db.Char(n)`: the most characters it holds (undefined: unbounded text). */
  maxLength?: number;
}

const SCALARS = new Set<string>(["Int", "String", "Boolean", "DateTime", "Json", "Money"]);

export const MODELS_PRISMA = fileURLToPath(new URL("../../prisma/models.prisma", import.meta.url));

/** table name (`@@map`) -> its scalar columns, in declaration order. Relation fields are left out. */
export function parsePrismaModels(text: string): Map<string, PrismaColumn[]> {
  const tables = new Map<string, PrismaColumn[]>();
  for (const block of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const body = block[2]!;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? block[1]!;
    const columns: PrismaColumn[] = [];
    for (const line of body.split("\n")) {
      const m = /^\s*(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line.replace(/\/\/.*$/, ""));
      if (!m || !SCALARS.has(m[2]!) || m[3] === "[]") continue;
      const attrs = m[4]!;
      const length = /@db\.(?:Var)?Char\((\d+)\)/.exec(attrs)?.[1];
      columns.push({
        name: m[1]!,
        type: m[2] as PrismaScalar,
        nullable: m[3] === "?",
        id: /@id\b/.test(attrs),
        hasDefault: /@default\(|@updatedAt\b/.test(attrs),
        ...(length ? { maxLength: Number(length) } : {}),
      });
    }
    tables.set(table, columns);
  }
  return tables;
}

let cached: Map<string, PrismaColumn[]> | undefined;
/** The declared columns of every table (read once per process). */
export function declaredColumns(): Map<string, PrismaColumn[]> {
  return (cached ??= parsePrismaModels(readFileSync(MODELS_PRISMA, "utf8")));
}
