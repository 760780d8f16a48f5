-- Singleton tables hold one row, id = 1 (global_integration_settings, cfgsync_lock).
-- Prisma's schema language has no CHECK constraint: written by hand, recorded in
-- _prisma_migrations like every migration (see README "Database").
ALTER TABLE "global_integration_settings" ADD CONSTRAINT "global_integration_settings_singleton" CHECK ("id" = 1);
ALTER TABLE "cfgsync_lock" ADD CONSTRAINT "cfgsync_lock_singleton" CHECK ("id" = 1);
