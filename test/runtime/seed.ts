import { createTestDatabase, type Dialect, type TestDatabase } from "../helpers/db.js";

/** A fresh, migrated database of one dialect. */
export async function migratedDatabase(dialect: Dialect): Promise<TestDatabase> {
  return createTestDatabase(dialect, { migrated: true });
}

/** $n placeholders for PostgreSQL, ? for SQLite. */
export function ph(db: TestDatabase, n: number): string {
  return db.dialect === "postgresql" ? `$${n}` : "?";
}

export async function insert(db: TestDatabase, table: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  const values = cols.map((c) => {
    const v = row[c];
    if (v !== null && typeof v === "object") return JSON.stringify(v);
    if (typeof v === "boolean" && db.dialect === "sqlite") return v ? 1 : 0;
    return v;
  });
  await db.query(
    `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => ph(db, i + 1)).join(", ")})`,
    values,
  );
}

export const TABLE_SETTINGS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    records_per_page: { type: "integer", minimum: 5, maximum: 500 },
    default_sort: { type: "string" },
    sort_direction: { enum: ["asc", "desc"] },
  },
};

export const AI_SETTINGS_SCHEMA = {
  type: "object",
  properties: { model: { type: "string" }, temperature: { type: "number", minimum: 0, maximum: 2 } },
};

/** The platform rows the runtime reads: catalog, global singleton, schemas, two accounts, users. */
export async function seedPlatform(db: TestDatabase): Promise<void> {
  const model = (id: string, type: string, provider: string, extra: Record<string, unknown> = {}) =>
    insert(db, "ai_model_config", { model_id: id, display_name: id, model_type: type, provider, updated_at: "2026-01-01T00:00:00.000Z", ...extra });
  await model("gpt-4o-mini", "text", "openai", { output_token_rate: "0.6", is_default: true });
  await model("gpt-4o", "text", "openai", { output_token_rate: "10" });
  await model("claude-3-5-sonnet-20241022", "text", "anthropic", { output_token_rate: "15", is_default: true });
  await model("dall-e-3", "image", "openai", { cost_per_image: "0.04", available_sizes: ["1024x1024", "1024x1792", "1792x1024"], is_default: true });
  await model("dall-e-2", "image", "openai", { cost_per_image: "0.02", available_sizes: ["256x256", "512x512", "1024x1024"] });
  await model("gpt-image-1", "image", "openai", { cost_per_image: "0.042", is_active: false });
  await insert(db, "global_integration_settings", {
    id: 1,
    openai_api_key: "sk-live-should-never-leak",
    openai_model: "gpt-4o-mini",
    openai_temperature: "0.7",
    openai_max_tokens: 8192,
    anthropic_model: "claude-3-5-sonnet-20241022",
    anthropic_temperature: "0.7",
    anthropic_max_tokens: 8192,
    dalle_model: "dall-e-3",
    dalle_size: "1024x1024",
    default_text_provider: "openai",
    default_image_service: "openai",
    image_quality: "standard",
    image_style: "photorealistic",
    max_in_article_images: 2,
    desktop_image_size: "1024x1024",
    updated_at: "2026-01-01T00:00:00.000Z",
  });
  await insert(db, "settings_schema", { key: "table_settings", schema: TABLE_SETTINGS_SCHEMA, updated_at: "2026-01-01T00:00:00.000Z" });
  await insert(db, "settings_schema", { key: "ai_settings", schema: AI_SETTINGS_SCHEMA, updated_at: "2026-01-01T00:00:00.000Z" });
  await insert(db, "account", { id: 1, slug: "acme", name: "Acme" });
  await insert(db, "account", { id: 2, slug: "globex", name: "Globex" });
  await insert(db, "app_user", { id: 1, account_id: 1, email: "ada@acme.test" });
  await insert(db, "app_user", { id: 2, account_id: 1, email: "bob@acme.test" });
  await insert(db, "app_user", { id: 3, account_id: 2, email: "cy@globex.test" });
}
