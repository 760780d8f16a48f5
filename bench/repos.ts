import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/*
 * Generated configuration repositories at scale, written as a user would write
 * them: the sample config/ (credits, integrations, policy, settings schemas,
 * its own models) plus generated models and account files. Deterministic, so
 * runs compare; `changed` bumps 1 % of the generated prices and overrides.
 */

export interface RepoShape {
  /** Generated models (on top of the sample's), spread over `providerFiles` catalogs. */
  models: number;
  /** How many provider catalogs hold them (at most PROVIDERS.length). */
  providerFiles: number;
  /** Generated account files. */
  accounts: number;
  /** Settings per account; each account also overrides two integrations. */
  settingsPerAccount: number;
}

/** Provider slugs of the generated catalogs: the sample's own first (their files grow), then new ones. */
const PROVIDERS = ["openai", "anthropic", "runware", "google", "bria", "mistral", "cohere", "meta", "deepseek", "xai"];

export const SCENARIOS = {
  /** (a) a 10k-model catalog in one file. */
  models10k: { models: 10_000, providerFiles: 1, accounts: 0, settingsPerAccount: 0 },
  /** (b) 3k models over the provider files and 2,000 accounts with three overrides each. */
  accounts2k: { models: 3_000, providerFiles: 10, accounts: 2_000, settingsPerAccount: 1 },
  /** (c) about 50k resources: 16k models and 1,700 accounts with 20 overrides each. */
  resources50k: { models: 16_000, providerFiles: 10, accounts: 1_700, settingsPerAccount: 18 },
} satisfies Record<string, RepoShape>;
export type ScenarioName = keyof typeof SCENARIOS;

const sampleDir = () => {
  // bench/repos.ts under vitest, bench/dist/bench/repos.js when built.
  for (const dir of [join(import.meta.dirname, "..", "config"), join(import.meta.dirname, "..", "..", "..", "config")]) {
    try {
      readFileSync(join(dir, "integrations.yaml"));
      return dir;
    } catch {
      /* try the next */
    }
  }
  throw new Error("cannot find the sample config/ directory");
};

export const accountSlugOf = (i: number) => `acct-${String(i).padStart(5, "0")}`;
const modelIdOf = (i: number) => `gen-${String(i).padStart(6, "0")}`;

/** Every 100th generated model and account changes in the "1 % change" variant. */
const bumped = (i: number, changed: boolean) => changed && i % 100 === 0;

function modelYaml(i: number, provider: string, changed: boolean): string {
  const up = bumped(i, changed);
  if (i % 5 === 0) {
    // Image models: under the 40 % floor of a $0.10 charge (cost <= $0.06).
    return [
      `  - model_id: ${modelIdOf(i)}`,
      `    display_name: Generated image model ${i}`,
      `    model_type: image`,
      `    provider: ${provider}`,
      `    cost_per_image: 0.0${(i % 4) + 1}${up ? "2" : ""}`,
      `    available_sizes: [1024x1024, 1792x1024]`,
      `    sort_order: ${1000 + i}`,
      "",
    ].join("\n");
  }
  // Text models: output under $15 per 1M tokens keeps every token operation's floor.
  return [
    `  - model_id: ${modelIdOf(i)}`,
    `    display_name: Generated text model ${i}`,
    `    model_type: text`,
    `    input_token_rate: ${(i % 7) + 1}.25`,
    `    output_token_rate: ${(i % 9) + 2}.${up ? "75" : "5"}`,
    `    max_input_tokens: 128000`,
    `    max_output_tokens: 16384`,
    `    supports_json_mode: true`,
    `    supports_tools: ${i % 2 === 0}`,
    `    sort_order: ${1000 + i}`,
    `    release_date: 2025-0${(i % 9) + 1}-1${i % 10}`,
    "",
  ].join("\n");
}

function accountYaml(i: number, shape: RepoShape, changed: boolean): string {
  const lines = ["apiVersion: cfgsync/v1", "kind: Account", `account: ${accountSlugOf(i)}`, "settings:"];
  for (let s = 0; s < shape.settingsPerAccount; s++) lines.push(`  setting.${s}: ${s === 0 ? `"tone-${i % 7}"` : i + s}`);
  lines.push(
    "integrations:",
    `  openai: { model: gpt-4o, temperature: ${bumped(i, changed) ? "0.9" : "0.4"} }`,
    `  dalle: { size: 1792x1024 }`,
    "",
  );
  return lines.join("\n");
}

/**
 * Writes `<dir>/config`: the sample plus the generated models and accounts.
 * Returns the account slugs the database must hold (the platform creates accounts).
 */
export function writeRepo(dir: string, shape: RepoShape, opts: { changed?: boolean } = {}): { configDir: string; accounts: string[] } {
  const configDir = join(dir, "config");
  rmSync(configDir, { recursive: true, force: true });
  cpSync(sampleDir(), configDir, { recursive: true });
  const changed = opts.changed ?? false;
  const providers = PROVIDERS.slice(0, Math.max(1, Math.min(shape.providerFiles, PROVIDERS.length)));
  const perProvider = new Map<string, string[]>(providers.map((p) => [p, []]));
  for (let i = 0; i < shape.models; i++) {
    const provider = providers[i % providers.length]!;
    perProvider.get(provider)!.push(modelYaml(i, provider, changed));
  }
  for (const [provider, models] of perProvider) {
    const file = join(configDir, "models", `${provider}.yaml`);
    let existing = "";
    try {
      existing = readFileSync(file, "utf8");
    } catch {
      existing = `apiVersion: cfgsync/v1\nkind: ModelCatalog\nprovider: ${provider}\nmodels:\n`;
    }
    writeFileSync(file, existing.replace(/\n*$/, "\n") + models.join(""));
  }
  const accounts: string[] = [];
  if (shape.accounts > 0) mkdirSync(join(configDir, "accounts"), { recursive: true });
  for (let i = 0; i < shape.accounts; i++) {
    accounts.push(accountSlugOf(i));
    writeFileSync(join(configDir, "accounts", `${accountSlugOf(i)}.yaml`), accountYaml(i, shape, changed));
  }
  return { configDir, accounts: ["acme", "globex", ...accounts] };
}

/** Resources the generated repository declares (for the bench table). */
export function resourceCount(shape: RepoShape): number {
  return shape.models + shape.accounts * (shape.settingsPerAccount + 2);
}
