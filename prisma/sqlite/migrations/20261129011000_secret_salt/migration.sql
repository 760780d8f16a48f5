-- The per-database salt of the HMAC digests of API keys (plans, state records),
-- so a copy of cfgsync's tables cannot confirm a guessed key offline. Written by
-- hand (a value, not a model), recorded in _prisma_migrations like every migration.
-- randomblob() draws from SQLite's PRNG, seeded from the operating system.
INSERT INTO "cfgsync_meta" ("key", "value") VALUES ('secret_salt', lower(hex(randomblob(32))));
-- Digests recorded before the salt were plain sha256 of the key: drop them. The next
-- apply that writes a key records its keyed digest.
UPDATE "cfgsync_resource_state"
SET "fields" = json_remove("fields", '$.openai_api_key', '$.anthropic_api_key', '$.dalle_api_key', '$.runware_api_key', '$.bria_api_key', '$.api_key')
WHERE "kind" IN ('integration', 'integration-type');
