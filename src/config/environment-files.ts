import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ENVIRONMENT_NAME } from "../schema/document-kinds.js";
import { parseYaml } from "./yaml-parse.js";

/** The environments config/ holds: the names of config/environments/*.yaml, sorted. */
export async function listEnvironments(configDir: string): Promise<string[]> {
  try {
    const names = (await readdir(join(configDir, "environments")))
      .filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith("."))
      .map((f) => f.replace(/\.ya?ml$/i, ""))
      .filter((name) => ENVIRONMENT_NAME.test(name));
    return [...new Set(names)].sort();
  } catch {
    return [];
  }
}

/**
 * The variable an environment's `database_url: { from_env: NAME }` names, if
 * it names one. Only this field is read here, to choose the database before
 * anything opens it; `validate` checks the whole file.
 */
export async function environmentDatabaseVariable(configDir: string, name: string): Promise<string | undefined> {
  for (const ext of ["yaml", "yml"]) {
    const file = join(configDir, "environments", `${name}.${ext}`);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const doc = parseYaml(file, text).docs[0]?.value as { database_url?: { from_env?: unknown } } | undefined;
    const variable = doc?.database_url?.from_env;
    return typeof variable === "string" && /^[A-Z_][A-Z0-9_]*$/.test(variable) ? variable : undefined;
  }
  return undefined;
}
