import type { PrismaClient as SqliteClient, Prisma as SqlitePrisma } from "../generated/sqlite/client.js";

/*
 * The two generated clients (src/generated/{sqlite,postgresql}) have the same
 * models and differ only in the Money columns' TS type (string on SQLite,
 * Decimal on PostgreSQL). The store writes money as canonical strings, which
 * both accept, and reads it through toDecimalString, which takes both; so one
 * type serves for both at compile time.
 */
export type Db = SqliteClient;
export type Tx = SqlitePrisma.TransactionClient;
export type Queryable = Db | Tx;

/** The JSON `null` value for NOT NULL Json columns (Prisma refuses a bare null there). */
export interface PrismaValues {
  JsonNull: unknown;
}
