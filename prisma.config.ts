import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

// The Prisma CLI is used only at build time (generate) and by developers
// (migrate diff). Setting DATABASE_URL here keeps the CLI on the JS (WASM)
// engine; without it, it falls back to a native engine it would download.
// The provider follows DATABASE_URL as cfgsync's does (postgresql:// -> PostgreSQL,
// anything else -> SQLite); CFGSYNC_PRISMA_PROVIDER overrides it (scripts/migrations.mjs).
const fromUrl = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "") ? "postgresql" : "sqlite";
const provider = (process.env.CFGSYNC_PRISMA_PROVIDER ?? fromUrl) === "postgresql" ? "postgresql" : "sqlite";
process.env.DATABASE_URL ??= provider === "sqlite" ? "file:./prisma/dev.db" : "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  adapter: async () =>
    provider === "sqlite"
      ? new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! })
      : new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
