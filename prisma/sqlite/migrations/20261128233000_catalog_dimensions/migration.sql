-- AlterTable
ALTER TABLE "ai_model_config" ADD COLUMN "batch_input_token_rate" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "batch_output_token_rate" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "cache_read_token_rate" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "cache_write_token_rate" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "context_tiers" JSONB;
ALTER TABLE "ai_model_config" ADD COLUMN "cost_per_1k_characters" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "cost_per_1k_queries" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "cost_per_second" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "image_output_token_rate" TEXT;
ALTER TABLE "ai_model_config" ADD COLUMN "image_prices" JSONB;

-- CreateTable
CREATE TABLE "integration_type_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "integration_type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model_type" TEXT NOT NULL,
    "api_key" TEXT,
    "model" TEXT NOT NULL,
    "temperature" TEXT,
    "max_tokens" INTEGER,
    "size" TEXT,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "integration_type_settings_integration_type_key" ON "integration_type_settings"("integration_type");

