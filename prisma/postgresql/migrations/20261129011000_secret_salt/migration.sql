-- The per-database salt of the HMAC digests of API keys (plans, state records),
-- so a copy of cfgsync's tables cannot confirm a guessed key offline. Written by
-- hand (a value, not a model), recorded in _prisma_migrations like every migration.
-- gen_random_uuid() (PostgreSQL 13+) draws from the server's strong random source.
INSERT INTO "cfgsync_meta" ("key", "value") VALUES ('secret_salt', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
-- Digests recorded before the salt were plain sha256 of the key: drop them. The next
-- apply that writes a key records its keyed digest.
UPDATE "cfgsync_resource_state"
SET "fields" = "fields" - ARRAY['openai_api_key', 'anthropic_api_key', 'dalle_api_key', 'runware_api_key', 'bria_api_key', 'api_key']
WHERE "kind" IN ('integration', 'integration-type');
