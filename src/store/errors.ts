import { UserError } from "../domain/diagnostic.js";
import type { DatabaseTarget } from "./database-url.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH",
  "28P01", "28000", "3D000", // bad password, no such role, no such database
  "SQLITE_CANTOPEN", "SQLITE_NOTADB",
]);

/** The server ended the session (terminated backend, shutdown, network cut) while cfgsync used it. */
const LOST_CODES = new Set(["57P01", "57P02", "57P03", "08006", "08003", "08000", "ECONNRESET", "EPIPE"]);
const LOST_MESSAGE = /terminating connection|Connection terminated|server closed the connection|not queryable|connection (was )?(lost|closed)/i;

/** The role or the database may not write (or read) this: privileges, a read-only role, replica or file. */
const DENIED_CODES = new Set(["42501", "25006", "SQLITE_READONLY", "SQLITE_READONLY_DBMOVED", "SQLITE_READONLY_DIRECTORY", "SQLITE_PERM", "SQLITE_AUTH"]);
const DENIED_MESSAGE = /permission denied|read-only transaction|readonly database|must be owner of/i;

function codeOf(err: unknown): string | undefined {
  const m = /Code: `([0-9A-Z]{5})`/.exec(err instanceof Error ? err.message : "");
  if (m) return m[1];
  const e = err as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  for (const c of [e?.meta?.driverAdapterError?.cause?.originalCode, e?.cause?.originalCode, e?.cause?.code, e?.code]) {
    if (typeof c === "string" && !/^P\d{4}$/.test(c)) return c;
  }
  return undefined;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function isConnectionLost(err: unknown): boolean {
  const code = codeOf(err);
  return (code !== undefined && LOST_CODES.has(code)) || LOST_MESSAGE.test(messageOf(err));
}

export function isPermissionDenied(err: unknown): boolean {
  const code = codeOf(err);
  return (code !== undefined && DENIED_CODES.has(code)) || DENIED_MESSAGE.test(messageOf(err));
}

/** The driver's one-line reason, without Prisma's invocation preamble or the URL's password. */
function reason(target: DatabaseTarget, err: unknown): string {
  const text = safeMessage(target, err);
  const driver = /Message: `([^`]*)`/.exec(text)?.[1];
  return (driver ?? text.split("\n").map((l) => l.trim()).filter(Boolean).at(-1) ?? text).slice(0, 300);
}

export function connectionLost(target: DatabaseTarget, err: unknown): UserError {
  return new UserError(
    "db.connection-lost",
    `the connection to the database ${target.display} was lost (${reason(target, err)}); the database rolled back the open transaction, so nothing was changed`,
    { suggestions: ["check that the database server is up and reachable, then run the command again"] },
  );
}

export function permissionDenied(target: DatabaseTarget, err: unknown): UserError {
  return new UserError("db.permission-denied", `the database ${target.display} refused: ${reason(target, err)}; nothing was changed`, {
    suggestions: [
      target.dialect === "postgresql"
        ? "connect as a role that may write the cfgsync and platform tables (GRANT SELECT, INSERT, UPDATE, DELETE; `db migrate` needs CREATE), not a read-only role or replica"
        : "make the SQLite file and its folder writable by this user (and not opened with mode=ro)",
    ],
  });
}

/**
 * The one translation of a database error into what the user should do: the
 * store, the runtime's SQL access and the migrator all throw through it. An
 * error it does not know stays as it is (a bug, reported as one).
 */
export function translateDbError(target: DatabaseTarget, err: unknown): unknown {
  if (err instanceof UserError) return err;
  if (isMissingTable(err)) return notMigrated(target);
  if (isPermissionDenied(err)) return permissionDenied(target, err);
  if (isConnectionLost(err)) return connectionLost(target, err);
  if (isConnectionError(err)) return connectionFailed(target, err);
  return err;
}

/** The error's message with the URL's password removed, whatever the driver put in it. */
export function safeMessage(target: DatabaseTarget, err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  const password = passwordOf(target.url);
  if (password) message = message.split(password).join("***");
  return message.split(target.url).join(target.display);
}

function passwordOf(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

export function isConnectionError(err: unknown): boolean {
  const code = codeOf(err);
  if (code && CONNECTION_CODES.has(code)) return true;
  const msg = err instanceof Error ? err.message : "";
  return /ECONNREFUSED|could not connect|connection terminated|database "[^"]*" does not exist|authentication failed|directory does not exist|unable to open database/i.test(msg);
}

/** An unreachable database is the user's to fix: a clear message, no stack, no password. */
export function connectionFailed(target: DatabaseTarget, err: unknown): UserError {
  return new UserError("db.unreachable", `cannot open the database ${target.display}: ${safeMessage(target, err)}`, {
    suggestions: ["check --database-url / DATABASE_URL and that the database server is running"],
  });
}

/** A missing cfgsync table means the schema was never migrated. */
export function isMissingTable(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /no such table|does not exist in the current database|relation .* does not exist|TableDoesNotExist/i.test(msg);
}

export function notMigrated(target: DatabaseTarget): UserError {
  return new UserError("db.not-migrated", `the database ${target.display} has no cfgsync schema yet`, {
    suggestions: ["run: cfgsync db migrate"],
  });
}
