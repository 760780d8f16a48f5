-- AlterTable
ALTER TABLE "ai_model_config" ADD COLUMN     "batch_input_token_rate" DECIMAL(20,10),
ADD COLUMN     "batch_output_token_rate" DECIMAL(20,10),
ADD COLUMN     "cache_read_token_rate" DECIMAL(20,10),
ADD COLUMN     "cache_write_token_rate" DECIMAL(20,10),
ADD COLUMN     "context_tiers" JSONB,
ADD COLUMN     "cost_per_1k_characters" DECIMAL(20,10),
ADD COLUMN     "cost_per_1k_queries" DECIMAL(20,10),
ADD COLUMN     "cost_per_second" DECIMAL(20,10),
ADD COLUMN     "image_output_token_rate" DECIMAL(20,10),
ADD COLUMN     "image_prices" JSONB;

-- CreateTable
CREATE TABLE "integration_type_settings" (
    "id" SERIAL NOT NULL,
    "integration_type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model_type" TEXT NOT NULL,
    "api_key" TEXT,
    "model" TEXT NOT NULL,
    "temperature" DECIMAL(20,10),
    "max_tokens" INTEGER,
    "size" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_type_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "integration_type_settings_integration_type_key" ON "integration_type_settings"("integration_type");

