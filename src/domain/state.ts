import type { Diagnostic, SourceRef } from "./diagnostic.js";
import type { PolicyDoc } from "../schema/documents.js";
import type { FieldValue, Resource } from "./resources.js";

/** What Git says the database should hold: validated, normalised, with source positions. */
export interface DesiredState {
  /** Every managed resource declared in config/, in a stable order (kind, then address). */
  resources: Resource[];
  /** The guardrails of config/policies.yaml, if any (not a resource: nothing is written). */
  policy?: PolicyDoc & { source?: { file: string; line: number; col: number } };
  /** Account slugs referenced by config/accounts/*.yaml, with where each is declared. */
  accounts: { slug: string; file: string; line: number; col: number }[];
  /** Environment variables named by `from_env` references (values are read at plan/apply time). */
  secretRefs: { name: string; address: string; field: string; file: string; line: number; col: number }[];
  /** The environment overlaid on config/ (`--env`), if any. */
  environment?: { name: string; file: string; line: number; col: number };
  /**
   * The `scheduled:` entries of models and credit rules (domain/schedule.ts), in
   * file order. `resources` hold the fields as written, without them; the state
   * at an instant is desiredAt(desired, t).
   */
  schedule?: ScheduledEntry[];
}

/** What the database holds now, in the same shape (secrets as digests). */
export interface LiveState {
  resources: Resource[];
  /** Last-applied fields of each resource cfgsync manages, by address. */
  lastApplied: Map<string, Record<string, FieldValue>>;
  /** Runtime-owned accounts: slug -> id. */
  accounts: Map<string, number>;
  /**
   * The database's salt for secret digests (cfgsync_meta): desired keys are
   * digested with it to compare with live ones. Never written to a plan file.
   */
  secretSalt: string;
}

export interface LoadedConfig {
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** sha256 of the config files as read (paths + bytes), for stale-plan detection. */
  filesDigest: string;
}

/** One `scheduled:` entry, normalised: its instant, the fields it sets (canonical values) and where it is written. */
export interface ScheduledEntry {
  /** The resource it belongs to (`model/gpt-5.2`, `credit/linking`). */
  address: string;
  /** The instant as UTC ISO text (2027-01-01T00:00:00Z): what plans, logs and diagnostics show. */
  effective_from: string;
  /** The same instant, ms since the epoch: what is compared. */
  at: number;
  /** Only the fields the entry writes. */
  fields: Record<string, FieldValue>;
  /** The entry's `effective_from` line. */
  source: SourceRef;
  /** Each written field's line. */
  fieldSources: Record<string, SourceRef>;
}
