-- CreateTable
CREATE TABLE "ai_model_config" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "model_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "model_type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "input_token_rate" TEXT,
    "output_token_rate" TEXT,
    "max_input_tokens" INTEGER,
    "max_output_tokens" INTEGER,
    "cost_per_image" TEXT,
    "available_sizes" JSONB,
    "supports_json_mode" BOOLEAN NOT NULL DEFAULT false,
    "supports_vision" BOOLEAN NOT NULL DEFAULT false,
    "supports_tools" BOOLEAN NOT NULL DEFAULT false,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "notes" TEXT,
    "release_date" TEXT,
    "deprecation_date" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "global_integration_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "openai_api_key" TEXT,
    "openai_model" TEXT,
    "openai_temperature" TEXT,
    "openai_max_tokens" INTEGER,
    "anthropic_api_key" TEXT,
    "anthropic_model" TEXT,
    "anthropic_temperature" TEXT,
    "anthropic_max_tokens" INTEGER,
    "dalle_api_key" TEXT,
    "dalle_model" TEXT,
    "dalle_size" TEXT,
    "runware_api_key" TEXT,
    "runware_model" TEXT,
    "bria_api_key" TEXT,
    "bria_model" TEXT,
    "default_text_provider" TEXT,
    "default_image_service" TEXT,
    "image_quality" TEXT,
    "image_style" TEXT,
    "max_in_article_images" INTEGER,
    "desktop_image_size" TEXT,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "credit_cost_config" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "operation_type" TEXT NOT NULL,
    "display_name" TEXT,
    "unit" TEXT NOT NULL,
    "credits" INTEGER,
    "tokens_per_credit" INTEGER,
    "min_credits" INTEGER NOT NULL DEFAULT 0,
    "price_per_credit_usd" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "settings_schema" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credits" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_user_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "account_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "account_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "integration_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "integration_type" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "integration_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "user_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "user_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "credit_usage_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "operation_type" TEXT NOT NULL,
    "model_id" TEXT,
    "credits_used" INTEGER NOT NULL,
    "cost_usd" TEXT NOT NULL,
    "tokens_used" INTEGER,
    "images" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "credit_usage_log_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "credit_transaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payment_id" TEXT,
    "reference_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "credit_transaction_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "cfgsync_revision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "git_commit" TEXT,
    "actor" TEXT NOT NULL,
    "plan_digest" TEXT NOT NULL,
    "config_digest" TEXT NOT NULL,
    "state_digest" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "changes" JSONB NOT NULL
);

-- CreateTable
CREATE TABLE "cfgsync_resource_state" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "revision_id" INTEGER NOT NULL,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "cfgsync_lock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "holder" TEXT,
    "locked_at" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "ai_model_config_model_id_key" ON "ai_model_config"("model_id");

-- CreateIndex
CREATE UNIQUE INDEX "credit_cost_config_operation_type_key" ON "credit_cost_config"("operation_type");

-- CreateIndex
CREATE UNIQUE INDEX "settings_schema_key_key" ON "settings_schema"("key");

-- CreateIndex
CREATE UNIQUE INDEX "account_slug_key" ON "account"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "account_settings_account_id_key_key" ON "account_settings"("account_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "integration_settings_account_id_integration_type_key" ON "integration_settings"("account_id", "integration_type");

-- CreateIndex
CREATE UNIQUE INDEX "user_settings_user_id_account_id_key_key" ON "user_settings"("user_id", "account_id", "key");

-- CreateIndex
CREATE INDEX "credit_usage_log_created_at_idx" ON "credit_usage_log"("created_at");

