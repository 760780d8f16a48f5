import { diagnostic, diagnosticId, hasErrors, sortDiagnostics, type Diagnostic } from "../domain/diagnostic.js";
import { NO_PROGRESS, type Progress } from "../domain/progress.js";
import type { DesiredState, LoadedConfig } from "../domain/state.js";
import { DOCUMENT_KINDS, type DocumentKind } from "../schema/document-kinds.js";
import { identifyDocument, validateDocument } from "./document-schema.js";
import { docsOf, type ConfigDocument, type DocOf } from "./documents.js";
import { overlayEnvironment } from "./environment.js";
import { normalise } from "./normalise.js";
import { readConfigFiles } from "./read-files.js";
import { ruleRunner } from "./rules/index.js";
import { redactSecrets, scanTextForSecrets, scanValuesForSecrets } from "./secrets.js";
import { MAX_NODES_PER_FILE, MAX_NODES_TOTAL, parseYaml } from "./yaml-parse.js";
import { appendAll } from "../domain/append.js";

export interface LoadOptions {
  /** Diagnostics and sources name files relative to this (default: process.cwd()). */
  cwd?: string;
  /** "Today" for deprecation checks (default: now). */
  today?: Date;
  progress?: Progress;
  /**
   * The environment to overlay (`--env`, config/environments/<name>.yaml).
   * Every environment file is checked either way; without one, the desired
   * state is the base configuration's.
   */
  environment?: string;
  /**
   * Without `environment`: also run the rules on each environment's state
   * (validate, github check), reporting what only an environment breaks.
   */
  checkEnvironments?: boolean;
}

/**
 * Reads config/ into the desired state. Never throws for bad input: every
 * problem, from an unreadable byte to a thin margin, is a diagnostic, and all
 * of them are collected in one pass, sorted by file and line.
 */
export async function loadConfig(configDir: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const today = (opts.today ?? new Date()).toISOString().slice(0, 10);
  const progress = opts.progress ?? NO_PROGRESS;
  const { docs, diagnostics, incomplete, digest } = await loadDocuments(configDir, cwd, progress);

  progress.phase("checking rules");
  const base = normalise(docs.filter((d) => d.kind !== "Environment"));
  const { desired, others } = overlayEnvironments(base, docsOf(docs, "Environment"), opts.environment, incomplete, diagnostics, opts.checkEnvironments === true);
  const rulesOf = ruleRunner(docs, today, incomplete);
  const found = rulesOf(desired);
  appendAll(diagnostics, found);
  // Without --env, every environment must pass the rules too: what only an environment breaks
  // (a default it deactivates, a margin its price makes thin) is reported, naming it.
  const seen = new Set(found.map(diagnosticId));
  for (const env of others) {
    for (const d of rulesOf(env.desired)) {
      if (!seen.has(diagnosticId(d))) diagnostics.push({ ...d, message: `in environment ${env.name}: ${d.message}` });
    }
  }

  progress.done();
  return { desired, diagnostics: finish(diagnostics), filesDigest: digest };
}

/** The schema-valid documents of config/, every problem found on the way, and the kinds with a document that could not be checked. */
export async function loadDocuments(
  configDir: string,
  cwd: string,
  progress: Progress = NO_PROGRESS,
): Promise<{ docs: ConfigDocument[]; diagnostics: Diagnostic[]; incomplete: Set<DocumentKind>; digest: string }> {
  const read = await readConfigFiles(configDir, cwd, progress);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const docs: ConfigDocument[] = [];
  // Kinds with a document that could not be checked: rules reading them would judge half the data.
  const incomplete = new Set<DocumentKind>(hasErrors(read.diagnostics) ? DOCUMENT_KINDS : []);

  progress.phase("validating files", read.files.length);
  let nodesLeft = MAX_NODES_TOTAL;
  for (const file of read.files) {
    progress.advance();
    appendAll(diagnostics, scanTextForSecrets(file.path, file.text));
    const parsed = parseYaml(file.path, file.text, Math.min(MAX_NODES_PER_FILE, nodesLeft));
    nodesLeft = Math.max(0, nodesLeft - parsed.nodes);
    appendAll(diagnostics, parsed.diagnostics);
    if (hasErrors(parsed.diagnostics)) DOCUMENT_KINDS.forEach((k) => incomplete.add(k));
    for (const yamlDoc of parsed.docs) {
      appendAll(diagnostics, scanValuesForSecrets(yamlDoc, file.text));
      const identified = identifyDocument(yamlDoc);
      if ("diagnostics" in identified) {
        appendAll(diagnostics, identified.diagnostics);
        DOCUMENT_KINDS.forEach((k) => incomplete.add(k));
        continue;
      }
      const problems = safely(() => validateDocument(yamlDoc, identified.kind), file.path);
      appendAll(diagnostics, problems);
      if (hasErrors(problems)) incomplete.add(identified.kind);
      else docs.push({ kind: identified.kind, data: yamlDoc.value, yaml: yamlDoc } as ConfigDocument);
    }
  }
  return { docs, diagnostics, incomplete, digest: read.digest };
}

/**
 * Checks every environment against the base state and returns the state of
 * the one asked for (the base state when none is). Overrides are judged only
 * when every base document is complete: an address in a file that failed to
 * parse is not unknown.
 */
function overlayEnvironments(
  base: DesiredState,
  environments: readonly DocOf<"Environment">[],
  wanted: string | undefined,
  incomplete: ReadonlySet<DocumentKind>,
  diagnostics: Diagnostic[],
  checkOthers: boolean,
): { desired: DesiredState; others: { name: string; desired: DesiredState }[] } {
  const baseComplete = ![...incomplete].some((k) => k !== "Environment");
  let desired = base;
  const others: { name: string; desired: DesiredState }[] = [];
  for (const env of environments) {
    if (!baseComplete && env.data.name !== wanted) continue;
    const overlaid = overlayEnvironment(base, env);
    if (baseComplete) appendAll(diagnostics, overlaid.diagnostics);
    if (env.data.name === wanted) desired = overlaid.desired;
    // Without --env, each valid environment's state is checked by the rules as well
    // (one that overlays nothing is the base state: its verdicts are the base's).
    else if (checkOthers && wanted === undefined && baseComplete && !hasErrors(overlaid.diagnostics) && overlaysSomething(base, overlaid.desired)) {
      others.push({ name: env.data.name, desired: overlaid.desired });
    }
  }
  if (wanted !== undefined && !environments.some((e) => e.data.name === wanted) && !incomplete.has("Environment")) {
    diagnostics.push(diagnostic("error", "usage.unknown-environment", `no environment ${wanted} in the configuration (config/environments/${wanted}.yaml)`));
  }
  return { desired, others };
}

/** Whether an environment's state differs from the base's in anything the rules read (resources, policy). */
const overlaysSomething = (base: DesiredState, overlaid: DesiredState) =>
  overlaid.policy !== base.policy || overlaid.resources.some((r, i) => r !== base.resources[i]);

/** The committed JSON Schemas are part of the package; if they are missing, say so instead of crashing. */
function safely(validate: () => Diagnostic[], file: string): Diagnostic[] {
  try {
    return validate();
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    return [diagnostic("error", "schema.unavailable", `cannot load the JSON Schemas shipped with cfgsync (${reason}); run \`cfgsync schema\``, { file })];
  }
}

function finish(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics
    .map((d) => ({ ...d, message: redactSecrets(d.message) }))
    .filter((d) => {
      const id = diagnosticId(d);
      return seen.has(id) ? false : (seen.add(id), true);
    });
  return sortDiagnostics(unique);
}
