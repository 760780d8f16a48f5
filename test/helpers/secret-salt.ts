import { secretDigester } from "../../src/domain/digest.js";

/*
 * Migration 20261129011000_secret_salt gives each database a random salt. The
 * test run's templates (test/templates.ts) share one random salt, so fixtures
 * can compute the digests a migrated test database reads back.
 */
export const SECRET_SALT_ENV = "CFGSYNC_TEST_SECRET_SALT";

/** The salt of every migrated test database of this run. */
export const TEST_SECRET_SALT = process.env[SECRET_SALT_ENV] ?? "5a17".repeat(16);
export const testSecretDigest = secretDigester(TEST_SECRET_SALT);

/** A constant salt for states built in memory, so goldens do not change from run to run. */
export const FIXED_SECRET_SALT = "5a17".repeat(16);
export const fixedSecretDigest = secretDigester(FIXED_SECRET_SALT);
