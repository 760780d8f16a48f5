import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { API_VERSION, DEPRECATED_FIELDS, DOCUMENT_KINDS, REMOVED_FIELDS, type DocumentKind } from "../schema/document-kinds.js";
import { MONEY_COLUMN, PATTERN_MEANING } from "../schema/fields.js";
import { packageSchemasDir, schemaFileName } from "../schema/files.js";
import { createAjv, DOCUMENT_VALIDATOR_OPTIONS, schemaDigest, type AjvInstance, type ErrorObject, type ValidateFunction } from "../schema/ajv.js";
import { closest, didYouMean } from "../domain/suggest.js";
import { generatedModule } from "./generated-module.js";
import { documentStart, locate, type Path, type YamlDocument } from "./yaml-source.js";

/**
 * Validators built at build time (scripts/precompile-validators.mjs writes
 * dist/config/validators.generated.js): compiling the schemas costs ~300 ms on
 * every CLI run. Absent when running from src (vitest); then every kind is
 * compiled at run time, with the same options. A build older than schemas/
 * is caught by the digests below.
 * Top-level await: validateDocument is synchronous, and the import is only a parse.
 */
interface Precompiled {
  schemaDigests: Partial<Record<DocumentKind, string>>;
  [kind: string]: unknown;
}
const precompiled = await generatedModule<Precompiled>("validators.generated.js");

/** Compiled once per process, on first use: validating the sample must not pay for it twice. */
const validators = new Map<DocumentKind, { validate: ValidateFunction; precompiled: boolean }>();
let documentAjv: AjvInstance | undefined;

/** The validator of a kind, and whether it is the precompiled one (the tests check both paths). */
export function documentValidator(kind: DocumentKind): { validate: ValidateFunction; precompiled: boolean } {
  let entry = validators.get(kind);
  if (!entry) {
    const text = readFileSync(join(packageSchemasDir(), schemaFileName(kind)), "utf8");
    // The schema file is read either way (a few KB); hashing it (well under 1 ms) keeps
    // a build older than schemas/ from validating against the old schemas.
    const built = precompiled?.schemaDigests[kind] === schemaDigest(text) ? (precompiled[kind] as ValidateFunction | undefined) : undefined;
    if (built) {
      entry = { validate: built, precompiled: true };
    } else {
      // One instance for every kind: each new instance compiles the draft 2020-12
      // meta-schema and the formats again, which cost ~100 ms per kind at start-up.
      documentAjv ??= createAjv(DOCUMENT_VALIDATOR_OPTIONS);
      entry = { validate: documentAjv.compile(JSON.parse(text) as Record<string, unknown>), precompiled: false };
    }
    validators.set(kind, entry);
  }
  return entry;
}

function validatorFor(kind: DocumentKind): ValidateFunction {
  return documentValidator(kind).validate;
}

/** Reads apiVersion and kind; a document without a known pair cannot be checked further. */
export function identifyDocument(d: YamlDocument): { kind: DocumentKind } | { diagnostics: Diagnostic[] } {
  const start = documentStart(d);
  const v = d.value;
  if (!v || typeof v !== "object" || Array.isArray(v)) {
    return { diagnostics: [diagnostic("error", "document.not-a-mapping", "a document must be a mapping with `apiVersion` and `kind`", start)] };
  }
  const { apiVersion, kind } = v as Record<string, unknown>;
  const out: Diagnostic[] = [];
  if (apiVersion === undefined) {
    out.push(diagnostic("error", "document.missing-api-version", `missing \`apiVersion\`; add \`apiVersion: ${API_VERSION}\``, start));
  } else if (apiVersion !== API_VERSION) {
    out.push(
      diagnostic(
        "error",
        "document.api-version",
        `unsupported apiVersion \`${String(apiVersion).slice(0, 40)}\`; this cfgsync reads \`${API_VERSION}\``,
        locate(d, ["apiVersion"]),
      ),
    );
  }
  if (kind === undefined) {
    out.push(diagnostic("error", "document.missing-kind", `missing \`kind\`; one of ${DOCUMENT_KINDS.join(", ")}`, start));
  } else if (typeof kind !== "string" || !(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    const shown = String(kind).slice(0, 40);
    out.push(
      diagnostic(
        "error",
        "document.unknown-kind",
        `unknown kind \`${shown}\`${didYouMean(shown, DOCUMENT_KINDS) || `; expected one of ${DOCUMENT_KINDS.join(", ")}`}`,
        locate(d, ["kind"]),
      ),
    );
  }
  return out.length > 0 ? { diagnostics: out } : { kind: kind as DocumentKind };
}

/** Checks a document against its committed JSON Schema; every error in words, at its line. */
export function validateDocument(d: YamlDocument, kind: DocumentKind): Diagnostic[] {
  const validate = validatorFor(kind);
  return validate(d.value) ? [] : describeErrors(validate.errors ?? [], d, kind);
}

/**
 * A validator's errors in words, each at its line: of a whole document, or of
 * the value at `at` in it (an environment's override, checked with its field's
 * own validator).
 */
export function describeErrors(errors: ErrorObject[], d: YamlDocument, kind: DocumentKind, at: Path = []): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of relevantErrors(errors)) {
    const diag = describeError(e, d, kind, at);
    const id = `${diag.line}:${diag.col}:${diag.message}`;
    if (!seen.has(id)) (seen.add(id), out.push(diag));
  }
  return out;
}

/** Drops errors that only explain another one: the branches of a failed anyOf, the inner errors of propertyNames. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const umbrellas = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "propertyNames");
  return errors.filter(
    (e) => !umbrellas.some((u) => u !== e && e.schemaPath.startsWith(u.schemaPath + "/")),
  );
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeError(e: ErrorObject, d: YamlDocument, kind: DocumentKind, at: Path): Diagnostic {
  const path = [...at, ...pathOf(e.instancePath)];
  const where = contextOf(kind, d.value, path);
  const params = e.params as Record<string, unknown>;
  const name = fieldName(path);
  // A key the error names inside the mapping at `path`: its context is the mapping's.
  const whereInside = (key: string) => contextOf(kind, d.value, [...path, key]);

  switch (e.keyword) {
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const where = whereInside(field);
      const keyAt = locate(d, [...path, field], "key");
      // Removals and deprecations are of a document's own fields (own keys only: `toString` is none),
      // not of keys inside a value checked alone (an environment's override).
      const documentField = at.length === 0;
      if (documentField && Object.hasOwn(REMOVED_FIELDS, field)) return diagnostic("error", "schema.removed-field", `${REMOVED_FIELDS[field]} (in ${where})`, keyAt);
      if (documentField && Object.hasOwn(DEPRECATED_FIELDS, field)) return diagnostic("warning", "schema.deprecated-field", `${DEPRECATED_FIELDS[field]} (in ${where})`, keyAt);
      if (kind === "Account" && field === "api_key") {
        return diagnostic(
          "error",
          "secrets.api-key-in-account",
          `\`api_key\` in ${where}: API keys live only in IntegrationSettings (config/integrations.yaml) as \`{ from_env: NAME }\`, never in an account; remove it`,
          keyAt,
        );
      }
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      return diagnostic("error", "schema.unknown-field", `unknown field \`${field}\` in ${where}${didYouMean(field, allowed)}`, keyAt);
    }
    case "required": {
      const field = String(params.missingProperty);
      return diagnostic("error", "schema.missing-field", `missing required field \`${field}\` in ${whereInside(field)}`, locate(d, path));
    }
    case "propertyNames": {
      const key = String(params.propertyName);
      const allowed = ((e.schema as { enum?: string[] } | undefined)?.enum ?? []) as string[];
      const hint = didYouMean(key, allowed) || (allowed.length ? `; expected one of ${allowed.join(", ")}` : "");
      return diagnostic("error", "schema.unknown-key", `unknown key \`${key}\` in ${where}${hint}`, locate(d, [...path, key], "key"));
    }
    case "type":
      if (name === "api_key") return apiKeyShapeError(d, path, where);
      return diagnostic("error", "schema.type", `\`${name}\` in ${where} must be ${expectation(e.parentSchema)} (got ${jsType(e.data)})`, locate(d, path));
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const got = typeof e.data === "string" && e.data.length <= 40 ? e.data : undefined;
      const hint = got === undefined ? "" : ` (got \`${got}\`${closest(got, allowed) ? `; did you mean \`${closest(got, allowed)}\`?` : ""})`;
      return diagnostic("error", "schema.enum", `\`${name}\` in ${where} must be one of ${allowed.join(", ")}${hint}`, locate(d, path));
    }
    case "anyOf":
    case "oneOf":
    case "pattern":
    // A date or timestamp fails both its pattern and its format: one message (deduplicated) says what is expected.
    case "format":
      if (name === "from_env") {
        return diagnostic("error", "schema.env-name", `\`from_env\` in ${where} must name an environment variable (A-Z, 0-9, _)`, locate(d, path));
      }
      return diagnostic("error", "schema.format", `\`${name}\` in ${where} must be ${patternMeaning(e) ?? expectation(e.parentSchema)}`, locate(d, path));
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const op = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[e.keyword];
      return diagnostic("error", "schema.range", `\`${name}\` in ${where} must be ${op} ${String(params.limit)}`, locate(d, path));
    }
    case "minLength":
      return diagnostic("error", "schema.empty", `\`${name}\` in ${where} must not be empty`, locate(d, path));
    case "maxLength":
      return diagnostic("error", "schema.too-long", `\`${name}\` in ${where} must be at most ${String(params.limit)} characters`, locate(d, path));
    case "minItems":
      return diagnostic("error", "schema.too-few", `\`${name}\` in ${where} must have at least ${String(params.limit)} item(s)`, locate(d, path));
    case "const":
      return diagnostic("error", "schema.const", `\`${name}\` in ${where} must be \`${String(params.allowedValue)}\``, locate(d, path));
    default:
      return diagnostic("error", "schema.invalid", `\`${name}\` in ${where} ${e.message ?? "is invalid"}`, locate(d, path));
  }
}

function apiKeyShapeError(d: YamlDocument, path: Path, where: string): Diagnostic {
  return diagnostic(
    "error",
    "secrets.api-key-form",
    `\`api_key\` in ${where} must be a reference \`{ from_env: NAME }\`; the key itself never goes in config/`,
    locate(d, path),
  );
}

/** The field rule a text breaks (schema/fields.ts), named by its pattern. */
const patternMeaning = (e: ErrorObject) => (e.keyword === "pattern" ? PATTERN_MEANING.get(String(e.params.pattern)) : undefined);

/** What a sub-schema accepts, in words. */
function expectation(schema: Record<string, unknown> | undefined): string {
  if (!schema) return "valid";
  const branches = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (branches) {
    const numeric = branches.find((b) => b.type === "number");
    if (numeric && numeric.maximum === 2) return "a number from 0 to 2";
    if (numeric) return `a non-negative decimal such as 0.040 (or the string "0.040"), with at most ${MONEY_COLUMN.integerDigits} digits before the point and ${MONEY_COLUMN.fractionDigits} after`;
    return branches.map(expectation).join(" or ");
  }
  if (typeof schema.description === "string" && schema.pattern) return schema.description;
  if (schema.pattern) return PATTERN_MEANING.get(String(schema.pattern)) ?? `text matching ${String(schema.pattern)}`;
  if (schema.enum) return `one of ${(schema.enum as unknown[]).join(", ")}`;
  switch (schema.type) {
    case "integer":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "string":
      return "text";
    case "array":
      return "a list";
    case "object":
      return "a mapping";
    default:
      return "valid";
  }
}

function jsType(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "a whole number" : "a number";
  if (typeof v === "boolean") return "true/false";
  return "text";
}

function fieldName(path: Path): string {
  const last = path[path.length - 1];
  if (typeof last === "number") {
    const parent = path[path.length - 2];
    return `${parent === undefined ? "" : String(parent)}[${last}]`;
  }
  return last === undefined ? "document" : last;
}

/** "model gpt-4.1", "operation linking", "provider openai": the thing a reader looks for. */
function contextOf(kind: DocumentKind, value: unknown, path: Path): string {
  const get = (p: Path): unknown => p.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
  const named = (listField: string, label: string, keyField: string): string | undefined => {
    if (path[0] !== listField || typeof path[1] !== "number") return undefined;
    const id = get([listField, path[1], keyField]);
    return typeof id === "string" && id.length <= 100 ? `${label} ${id}` : `${listField}[${path[1]}]`;
  };
  switch (kind) {
    case "ModelCatalog":
      return named("models", "model", "model_id") ?? "ModelCatalog";
    case "CreditCosts":
      return named("operations", "operation", "operation_type") ?? "CreditCosts";
    case "IntegrationSettings":
      return path[0] === "providers" && typeof path[1] === "string" ? `provider ${path[1]}` : "IntegrationSettings";
    case "Account": {
      const slug = get(["account"]);
      const account = typeof slug === "string" && slug.length <= 100 ? `account ${slug}` : "Account";
      if (path[0] === "integrations" && typeof path[1] === "string") return `the ${path[1]} override of ${account}`;
      return account;
    }
    case "SettingsSchemas":
      return typeof path[1] === "string" ? `settings schema ${path[1]}` : "SettingsSchemas";
    case "Policy":
      return typeof path[1] === "string" ? `policy ${path[0]} ${path[1]}` : "Policy";
    case "Environment": {
      const name = get(["name"]);
      const env = typeof name === "string" && name.length <= 63 ? `environment ${name}` : "Environment";
      if (path[0] !== "overrides" || typeof path[1] !== "string" || path[1].length > 300) return env;
      // Inside an overridden value (`from_env` of an API key): which field it is in.
      const field = path.length > 3 && typeof path[2] === "string" && path[2].length <= 100 ? `\`${path[2]}\` of ` : "";
      return `${field}the ${path[1]} override of ${env}`;
    }
  }
}
