import { UserError, diagnostic, formatDiagnosticLine } from "../domain/diagnostic.js";
import { environmentDatabaseVariable, listEnvironments } from "../config/environment-files.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What a command works on: the environment overlaid (if any) and the database. */
export interface Target {
  environment?: string;
  databaseUrl: string;
  /** Said on stderr: the environment names a database variable that is not set. */
  warning?: string;
}

/** An environment named on the command line must be one config/environments/ holds. */
export async function checkEnvironment(configDir: string, name: string): Promise<string> {
  const known = await listEnvironments(configDir);
  if (known.includes(name)) return name;
  const available = known.length ? `the environments of ${configDir} are: ${known.join(", ")}` : `${configDir}/environments/ holds no environment`;
  throw new UserError("usage.unknown-environment", `unknown environment "${name.slice(0, 63)}": ${available}`, {
    suggestions: [known.length ? `Pass --env ${known[0]}, or add ${configDir}/environments/${name.slice(0, 63)}.yaml.` : `Add ${configDir}/environments/NAME.yaml (README "Environments").`],
  });
}

/**
 * The database a command uses. Precedence, most explicit first:
 * --database-url; with --env, the variable the environment's `database_url`
 * names, when set (a DATABASE_URL left in the shell must not send one
 * environment's configuration into another's database); DATABASE_URL; the
 * embedded file:./cfgsync.db.
 */
export async function resolveTarget(opts: { configDir: string; environment?: string; databaseUrlFlag?: string; env: Env }): Promise<Target> {
  const fallback = opts.env.DATABASE_URL ?? "file:./cfgsync.db";
  if (opts.environment === undefined) return { databaseUrl: opts.databaseUrlFlag ?? fallback };
  const environment = await checkEnvironment(opts.configDir, opts.environment);
  if (opts.databaseUrlFlag !== undefined) return { environment, databaseUrl: opts.databaseUrlFlag };
  const variable = await environmentDatabaseVariable(opts.configDir, environment);
  if (variable && opts.env[variable]) return { environment, databaseUrl: opts.env[variable]! };
  if (!variable) return { environment, databaseUrl: fallback };
  const using = opts.env.DATABASE_URL ? "DATABASE_URL" : "file:./cfgsync.db";
  const warning = formatDiagnosticLine(
    diagnostic("warning", "environment.database-unset", `${variable} (the database_url of environment ${environment}) is not set: using ${using}`),
  );
  return { environment, databaseUrl: fallback, warning };
}
