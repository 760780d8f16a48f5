import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PROVIDER_PARAMS, type FieldType } from "../../src/domain/resources.js";
import { creditOperationSchema, integrationOverrideSchema, modelSchema } from "../../src/schema/documents.js";
import { INT32, MONEY_COLUMN } from "../../src/schema/fields.js";
import { NOT_NULL_COLUMNS } from "../../src/store/columns.js";
import { MODELS_PRISMA, parsePrismaModels, type PrismaColumn, type PrismaScalar } from "../../src/store/prisma-columns.js";
import { KIND_TABLES } from "../../src/store/tables.js";

/*
 * prisma/models.prisma and the field declarations (src/schema) must agree:
 * this test parses the Prisma file and fails when a column's type,
 * nullability or length disagrees with what validate lets through.
 */
const TABLES = parsePrismaModels(readFileSync(MODELS_PRISMA, "utf8"));
const column = (table: string, name: string): PrismaColumn | undefined => TABLES.get(table)?.find((c) => c.name === name);

const PRISMA_TYPE: Record<FieldType, PrismaScalar> = {
  decimal: "Money",
  int: "Int",
  bool: "Boolean",
  json: "Json",
  string: "String",
  date: "String",
  secret: "String",
};

type JsonSchema = { type?: string; minimum?: number; maximum?: number; maxLength?: number; pattern?: string; anyOf?: JsonSchema[] };
const jsonSchemaOf = (rule: z.ZodType): JsonSchema => z.toJSONSchema(rule, { io: "input", unrepresentable: "any" }) as JsonSchema;
const variants = (s: JsonSchema): JsonSchema[] => (s.anyOf ? s.anyOf.flatMap(variants) : [s]);

/** What the field declaration admits, checked against the column. */
function disagreements(where: string, rule: z.ZodType, col: PrismaColumn, optional: boolean): string[] {
  const out: string[] = [];
  if (optional && !col.nullable && !col.hasDefault) out.push(`${where}: optional in config but ${col.name} is NOT NULL without a default`);
  for (const v of variants(jsonSchemaOf(rule))) {
    if (col.type === "Int") {
      if (v.type !== "integer") out.push(`${where}: Int column, declaration admits ${v.type}`);
      if ((v.minimum ?? -Infinity) < INT32.min || (v.maximum ?? Infinity) > INT32.max) out.push(`${where}: Int column, declaration admits values beyond 32 bits`);
    }
    if (col.type === "Money") {
      if (v.type === "number" && (v.maximum ?? Infinity) >= 10 ** MONEY_COLUMN.integerDigits && v.maximum !== undefined) out.push(`${where}: number beyond the money column`);
      if (v.type === "string" && !v.pattern) out.push(`${where}: money string without a pattern`);
      if (v.type === "string" && v.pattern && new RegExp(v.pattern, "u").test("0." + "1".repeat(MONEY_COLUMN.fractionDigits + 1))) {
        out.push(`${where}: money pattern admits more than ${MONEY_COLUMN.fractionDigits} fraction digits`);
      }
    }
    if (col.type === "String" && v.type === "string") {
      if (col.maxLength !== undefined && (v.maxLength ?? Infinity) > col.maxLength) out.push(`${where}: longer than the column's ${col.maxLength}`);
      if (v.pattern && new RegExp(v.pattern, "u").test("a\u0000b")) out.push(`${where}: admits a NUL`);
    }
  }
  return out;
}

const optionalIn = (shape: Record<string, z.ZodType>, name: string) => shape[name]!.safeParse(undefined).success;

describe("prisma/models.prisma agrees with the field declarations", () => {
  it("every column the store writes is declared with the matching type", () => {
    const problems: string[] = [];
    for (const t of Object.values(KIND_TABLES)) {
      for (const c of [...t.keyColumns, ...t.columns]) {
        const declared = column(t.table, c.name);
        if (!declared) problems.push(`${t.table}.${c.name}: not in prisma/models.prisma`);
        else if (c.name !== "account_id" && declared.type !== PRISMA_TYPE[c.type]) problems.push(`${t.table}.${c.name}: ${c.type} field, ${declared.type} column`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("NOT_NULL_COLUMNS is derived from the Prisma file", () => {
    for (const [table, columns] of TABLES) {
      const notNull = columns.filter((c) => !c.nullable && !c.id && c.type !== "DateTime").map((c) => c.name);
      expect([...(NOT_NULL_COLUMNS[table] ?? [])].sort(), table).toEqual(notNull.sort());
    }
  });

  it("model, credit and integration fields admit only what their columns hold", () => {
    const problems: string[] = [];
    const modelShape = modelSchema.shape as Record<string, z.ZodType>;
    for (const [name, rule] of Object.entries(modelShape)) {
      const col = column("ai_model_config", name);
      // provider: optional in a model entry because normalise fills it with the file's provider.
      if (col) problems.push(...disagreements(`model.${name}`, rule, col, name !== "provider" && optionalIn(modelShape, name)));
    }
    const creditShape = creditOperationSchema.shape as Record<string, z.ZodType>;
    for (const [name, rule] of Object.entries(creditShape)) {
      const col = column("credit_cost_config", name);
      if (col) problems.push(...disagreements(`credit.${name}`, rule, col, optionalIn(creditShape, name)));
    }
    const overrideShape = integrationOverrideSchema.shape as Record<string, z.ZodType>;
    for (const [provider, params] of Object.entries(PROVIDER_PARAMS)) {
      for (const p of params) {
        const col = column("global_integration_settings", `${provider}_${p.name}`);
        const rule = overrideShape[p.name];
        if (col && rule) problems.push(...disagreements(`integration.${provider}.${p.name}`, rule, col, true));
      }
    }
    expect(problems).toEqual([]);
  });

  it("fails on a disagreeing declaration (the check itself can fail)", () => {
    const tiny = parsePrismaModels(`model T {\n  id Int @id\n  n Int\n  s String @db.VarChar(5)\n  @@map("t")\n}\n`).get("t")!;
    expect(disagreements("n", z.int(), tiny[1]!, false)).toContain("n: Int column, declaration admits values beyond 32 bits");
    expect(disagreements("n", z.int().min(0).max(10), tiny[1]!, true)).toEqual(["n: optional in config but n is NOT NULL without a default"]);
    expect(disagreements("s", z.string().max(10), tiny[2]!, false)).toEqual(["s: longer than the column's 5"]);
  });
});
