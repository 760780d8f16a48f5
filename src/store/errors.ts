import { UserError } from "../domain/diagnostic.js";
import type { DatabaseTarget } from "./database-url.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH",
  "28P01", "28000", "3D000", // bad password, no such role, no such database
  "SQLITE_CANTOPEN", "SQLITE_NOTADB", "SQLITE_READONLY",
]);

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  for (const c of [e?.code, e?.cause?.originalCode, e?.cause?.code, e?.meta?.driverAdapterError?.cause?.originalCode]) {
    if (typeof c === "string") return c;
  }
  return undefined;
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
