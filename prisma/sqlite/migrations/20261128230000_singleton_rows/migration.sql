-- Singleton tables hold one row, id = 1 (global_integration_settings, cfgsync_lock).
-- Prisma's schema language has no CHECK constraint and SQLite cannot add one to an
-- existing table, so triggers refuse any other id; written by hand, recorded in
-- _prisma_migrations like every migration (see README "Database").
CREATE TRIGGER "global_integration_settings_singleton_insert" BEFORE INSERT ON "global_integration_settings"
WHEN NEW."id" IS NOT 1 BEGIN SELECT RAISE(ABORT, 'global_integration_settings holds one row: id = 1'); END;
CREATE TRIGGER "global_integration_settings_singleton_update" BEFORE UPDATE OF "id" ON "global_integration_settings"
WHEN NEW."id" IS NOT 1 BEGIN SELECT RAISE(ABORT, 'global_integration_settings holds one row: id = 1'); END;
CREATE TRIGGER "cfgsync_lock_singleton_insert" BEFORE INSERT ON "cfgsync_lock"
WHEN NEW."id" IS NOT 1 BEGIN SELECT RAISE(ABORT, 'cfgsync_lock holds one row: id = 1'); END;
CREATE TRIGGER "cfgsync_lock_singleton_update" BEFORE UPDATE OF "id" ON "cfgsync_lock"
WHEN NEW."id" IS NOT 1 BEGIN SELECT RAISE(ABORT, 'cfgsync_lock holds one row: id = 1'); END;
