import { UserError } from "../domain/diagnostic.js";

export type Dialect = "sqlite" | "postgresql";

export interface DatabaseTarget {
  dialect: Dialect;
  /** The URL as given (may hold a password: never print it, print `display`). */
  url: string;
  /** The URL with any password masked, safe for messages. */
  display: string;
  /** SQLite only: the file path after `file:`. */
  file?: string;
}

/** Chooses the dialect from the URL scheme: `file:` is SQLite, `postgres(ql)://` is PostgreSQL. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (trimmed.startsWith("file:")) {
    // Same rule as @prisma/adapter-better-sqlite3: the path is what follows `file:`.
    const file = trimmed.slice("file:".length).replace(/\?.*$/, "");
    if (!file) throw new UserError("db.url", "the SQLite database URL names no file (expected file:./cfgsync.db)");
    return { dialect: "sqlite", url: trimmed, display: trimmed, file };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    return { dialect: "postgresql", url: trimmed, display: redactUrl(trimmed) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  throw new UserError(
    "db.unsupported-url",
    scheme
      ? `unsupported database URL scheme "${scheme}:" (supported: file: for SQLite, postgresql:// for PostgreSQL)`
      : "the database URL has no scheme (expected file:./cfgsync.db or postgresql://user@host/db)",
  );
}

/** `postgresql://u:secret@h/db` -> `postgresql://u:***@h/db`; also masks `password=` query parameters. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, "$1:***@")
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}
