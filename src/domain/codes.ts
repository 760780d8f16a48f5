/**
 * Exit codes are part of the interface (SPEC §4): scripts branch on them, so
 * each means one thing. 2 is only "there are changes / drift", never an error.
 */
export const ExitCode = {
  ok: 0,
  /** Invalid configuration, refused or failed apply, database or GitHub error. */
  error: 1,
  /** plan --detailed-exitcode with changes; drift found; sync --once in detect mode found changes. */
  changes: 2,
  /** The command line itself is wrong: unknown command or flag, missing argument, bad flag value (BSD EX_USAGE). */
  usage: 64,
  /** Another apply holds the lock, or GitHub asks to wait: the same command may succeed later (BSD EX_TEMPFAIL). */
  retry: 75,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, for `--help` and the README (one declaration, two renderings). */
export const EXIT_CODE_MEANINGS: Record<ExitCodeValue, string> = {
  [ExitCode.ok]: "success; valid; no changes / no drift",
  [ExitCode.error]: "error: invalid config, stale or refused plan, database or GitHub error",
  [ExitCode.changes]: "`plan --detailed-exitcode`: changes; `drift`: drift found; `sync --once --mode detect`: out of sync; `db status`: migrations pending; `diff`: the environments differ",
  [ExitCode.usage]: "usage error: unknown command or flag, missing argument, bad flag value",
  [ExitCode.retry]: "try again later: another apply holds the lock, or GitHub's rate limit",
};

/** What a code means to the person who meets it. */
export interface CodeInfo {
  exit: ExitCodeValue;
  /** One line: what to do about it. */
  hint: string;
  /** The README section that explains the area (a GitHub heading anchor). */
  doc: `#${string}`;
}

type Hints = Record<string, string>;

/** A family of codes that share a README section and an exit code. */
function family<const H extends Hints>(doc: CodeInfo["doc"], hints: H, exit: ExitCodeValue = ExitCode.error): { [K in keyof H]: CodeInfo } {
  return Object.fromEntries(Object.entries(hints).map(([code, hint]) => [code, { exit, hint, doc }])) as { [K in keyof H]: CodeInfo };
}

/**
 * The closed set of diagnostic and error codes. A code that is not here does
 * not compile (Diagnostic.code and UserError.code are `Code`); the README's
 * "Error codes" table is generated from this registry and a test keeps it so.
 */
export const CODES = {
  ...family("#command-line", {
    "usage.unknown-command": "run `cfgsync help` for the list of commands",
    "usage.unknown-flag": "run `cfgsync help COMMAND` for the command's flags",
    "usage.missing-argument": "run `cfgsync help COMMAND` for the arguments it needs",
    "usage.unexpected-argument": "run `cfgsync help COMMAND` for the arguments it takes",
    "usage.invalid-flag": "run `cfgsync help COMMAND` for the values a flag accepts",
    "usage.invalid-duration": "write a duration as a number with ms, s, m or h (e.g. 30s)",
    "usage.invalid-slug": "an account slug is lowercase letters, digits, '.', '_' or '-'",
    "usage.invalid-environment": "an environment name is letters, digits, '.', '_' or '-'",
    "sync.repo-missing": "pass --repo URL_OR_PATH",
    "apply.expect-changes-invalid": "pass the reviewed plan's changes_digest (sha256:...) or `none`",
    "github.retry-wait-invalid": "CFGSYNC_GITHUB_MAX_RETRY_WAIT is a number of seconds",
    "catalog.format": "pass --format litellm, and at most one output format (text, json, markdown)",
  }, ExitCode.usage),
  ...family("#validate", {
    "config.invalid": "run `cfgsync validate` for every problem with its file and line",
    "config.missing-directory": "run from the repository root or pass --config-dir",
    "config.not-a-directory": "--config-dir must name a directory",
    "config.too-many-files": "config/ holds more files than cfgsync reads; remove stray files",
    "file.too-large": "split the file or remove what does not belong in it",
    "file.invalid-utf8": "save the file as UTF-8",
    "yaml.syntax": "fix the YAML at the position shown",
    "yaml.unparseable": "fix the YAML at the position shown",
    "yaml.duplicate-key": "keep one of the duplicate keys",
    "yaml.custom-tag": "remove the `!tag`; write plain values",
    "yaml.merge-key": "write the mapping out instead of `<<:`",
    "yaml.complex-key": "use plain scalar keys",
    "yaml.forbidden-key": "rename the key (`__proto__`, `constructor` and `prototype` are not allowed)",
    "yaml.alias-bomb": "write the values out instead of nesting aliases",
    "yaml.alias-limit": "use fewer `*aliases`",
    "yaml.too-deep": "flatten the nesting",
    "yaml.too-many-nodes": "split the file or remove what does not belong in config/",
    "yaml.non-finite-number": "write a finite number (`.inf` and `.nan` are stored as nothing)",
    "yaml.number-notation": "write the number in decimal notation",
    "yaml.unsafe-integer": "write integers within ±2^53, or the value as a string",
    "yaml.unstorable-text": "remove the NUL character or unpaired surrogate",
    "config.symlink": "replace the link with the file itself",
    "config.unreadable": "make the folder readable (chmod u+rx)",
    "file.unreadable": "make the file readable (chmod u+r)",
    "money.not-exact": "write a plain decimal with at most 10 digits before and 10 after the point",
    "json.not-storable": "write a value every database stores and reads back unchanged (see the message)",
    "document.not-a-mapping": "a document is a mapping with apiVersion, kind and spec",
    "document.missing-kind": "add `kind:` (ModelCatalog, IntegrationSettings, CreditCosts, SettingsSchemas, Account, Policy, Environment)",
    "document.missing-api-version": "add `apiVersion: cfgsync/v1`",
    "document.api-version": "use `apiVersion: cfgsync/v1`",
    "document.unknown-kind": "use a kind cfgsync knows (see schemas/)",
    "documents.missing": "add the document config/ must hold",
    "documents.duplicate": "keep one document of this kind",
    "schema.unknown-field": "remove the field or fix its spelling",
    "schema.unknown-key": "remove the key or fix its spelling",
    "schema.missing-field": "add the required field",
    "schema.type": "give the field a value of the type shown",
    "schema.enum": "use one of the values listed",
    "schema.format": "write the value in the format shown",
    "schema.range": "give a value within the bounds shown",
    "schema.empty": "give a non-empty value",
    "schema.too-long": "shorten the value",
    "schema.too-few": "add the items the field needs",
    "schema.const": "use the value shown",
    "schema.invalid": "fix the value as the message says",
    "schema.env-name": "an environment variable name is UPPER_CASE letters, digits and _",
    "schema.removed-field": "remove the field; it is no longer read",
    "schema.deprecated-field": "move to the replacement the message names",
    "schema.unavailable": "rebuild cfgsync (`npm run build`): its JSON Schemas are missing",
    "catalog.duplicate-model": "each model_id appears once across config/models/",
    "catalog.many-defaults": "mark one active model per type as is_default",
    "catalog.no-default": "mark one active model of this type as is_default",
    "catalog.inactive-default": "a default model must be active",
    "catalog.missing-price": "give the model the price its type needs",
    "catalog.dates": "deprecation_date comes after release_date",
    "catalog.deprecated-active": "deactivate the deprecated model or move its deprecation_date",
    "catalog.deprecated-default": "choose a default that is not deprecated",
    "catalog.file-name": "name the file after the provider its models belong to",
    "catalog.provider-mismatch": "move the model to its provider's file",
    "integration.default-provider": "name a provider that has an integration",
    "integration.inactive-model": "choose an active model",
    "integration.unknown-model": "choose a model defined in config/models/",
    "integration.model-type": "choose a model of the type this integration uses",
    "integration.model-provider": "choose a model of this integration's provider",
    "integration.temperature": "give a temperature within the provider's range",
    "integration.max-tokens": "stay within the model's max_output_tokens",
    "integration.size": "choose a size the model lists in available_sizes",
    "credits.duplicate": "each operation_type appears once",
    "credits.credits": "give `credits` for per-unit operations",
    "credits.tokens-per-credit": "give `tokens_per_credit` for token operations",
    "settings-schema.invalid": "fix the JSON Schema of the setting",
    "account.duplicate": "each account slug appears once in config/accounts/",
    "account.file-name": "name the file after the account's slug",
    "account.override-field": "override only the fields an account may override",
    "account.unknown-integration": "override an integration integrations.yaml defines, or declare it under providers",
    "integration.type-name": "name an integration type with lowercase letters, digits, '_' or '-'",
    "secrets.plaintext": "reference the key instead: `api_key: { from_env: NAME }`",
    "secrets.api-key-form": "write `api_key: { from_env: NAME }`",
    "secrets.api-key-in-account": "API keys are platform-wide: set them in integrations.yaml",
  }),
  ...family("#pricing-impact-and-policies", {
    "policy.margin": "raise the charge or lower the cost, or change the floor in policies.yaml (with a note)",
    "policy.max-price-change": "change the price in smaller steps, or raise max_price_change_pct in policies.yaml",
    "policy.protected": "protected resources are never deleted: keep it in config/ or unprotect it in policies.yaml",
    "policy.protected-unknown": "protect only resources that config/ defines",
    "policy.price-ceiling": "fix the price's unit (per 1M tokens, per image, ...), or list the model under the ceiling's `except`",
    "policy.unknown-operation": "give a floor only to an operation credits.yaml declares (or declare the operation)",
  }),
  ...family("#scheduled-prices", {
    "schedule.order": "list a resource's scheduled entries in ascending effective_from, each at its own instant",
    "schedule.empty-entry": "give the entry a field to change, or remove it",
    "schedule.no-change": "remove the entry, or give it the value the field should change to",
    "plan.at-refused": "a plan made with --at shows another time: apply a fresh plan, or one saved by `cfgsync plan --out` without --at",
  }),
  ...family("#plan-and-apply", {
    "plan.has-errors": "fix the errors listed; nothing was changed",
    "plan.stale": "run `cfgsync plan --out plan.json` again and review the new plan",
    "plan.missing": "save a plan with `cfgsync plan --out plan.json`",
    "plan.unreadable": "save a plan with `cfgsync plan --out plan.json`",
    "plan.not-json": "save a plan with `cfgsync plan --out plan.json`",
    "plan.not-a-plan": "save a plan with `cfgsync plan --out plan.json`",
    "plan.no-digests": "a plan without digests cannot be applied; save one with `cfgsync plan --out`",
    "plan.tampered": "never edit a saved plan: run `cfgsync plan --out plan.json` again and review it",
    "account.pending": "the platform creates accounts; `cfgsync sync` (or the next apply) applies the overrides once it exists",
    "secret.unset": "export the variable in the environment that runs the apply to manage this key",
    "secret.required": "export the variable, or apply without --require-secrets to leave the key untouched",
    "apply.unapproved": "pass --auto-approve, or apply a reviewed plan: cfgsync plan --out plan.json && cfgsync apply plan.json",
    "apply.cancelled": "nothing was changed; answer `yes` to apply",
    "apply.unreviewed": "the fresh plan differs from the reviewed one: review the new plan on the pull request, then re-run the apply",
    "apply.destroy-refused": "pass --allow-destroy to delete models and credit rules removed from config/",
    "apply.decimal-range": "give a value the database column can hold",
    "apply.int-range": "give an integer a 32-bit column can hold",
    "apply.unstorable-value": "give a value the database stores as written",
    "apply.not-converged": "check triggers and column types that change values; write the value the database keeps",
    "export.unsafe-name": "fix the row's slug in the database (lowercase letters, digits, '.', '_' or '-')",
    "export.outside-out": "this is a path outside --out built from database data; fix the row",
    "export.exists": "choose an empty --out directory, or pass --force",
  }),
  ...family("#locks", {
    "lock.held": "wait for the holder shown to finish, or raise --lock-timeout",
  }, ExitCode.retry),
  ...family("#locks", {
    "lock.release-refused": "check `cfgsync lock status`, then pass --force to release a lock whose holder died",
  }),
  ...family("#restore", {
    "restore.unknown-revision": "run `cfgsync history` for the revisions this database recorded",
    "restore.no-state": "restore to a later revision (`cfgsync history`), or revert the commit in Git and apply",
    "restore.secret-untouched": "a restore never writes API keys: to put an older key back, set its variable and apply, or rotate it at the provider",
    "hold.on": "`cfgsync hold release` lets Git win again; an apply of a new commit also ends the hold",
    "hold.refused": "run `cfgsync hold release` first (Git wins again), or merge a fix and apply that commit",
  }),
  ...family("#model-catalog-any-provider-price-dimensions-import-and-compare", {
    "catalog.reference-unreadable": "pass the path of a readable price list file",
    "catalog.reference-invalid": "pass LiteLLM's model_prices_and_context_window.json (or an extract of it)",
    "catalog.reference-too-large": "pass a price list, not another file",
    "catalog.files-invalid": "fix the catalog file's YAML (`cfgsync validate`), then import again",
  }),
  ...family("#database", {
    "db.url": "DATABASE_URL is file:./cfgsync.db (SQLite) or postgresql://user@host/db",
    "db.unsupported-url": "DATABASE_URL is file:./cfgsync.db (SQLite) or postgresql://user@host/db",
    "db.unreachable": "check --database-url / DATABASE_URL and that the database server is running",
    "db.not-migrated": "run `cfgsync db migrate`",
    "db.connection-lost": "check that the database server is up and reachable, then run the command again",
    "db.permission-denied": "connect as a role that may write the tables (`db migrate` needs CREATE), not a read-only role, replica or file",
    "db.migration-failed": "inspect the database, then mark the migration rolled back (prisma migrate resolve) before migrating again",
    "db.user-exists": "choose another id or email",
    "resolve.unknown-account": "create the account first (`cfgsync db create-account SLUG`)",
  }),
  ...family("#effective-configuration-resolve-and-the-runtime-library", {
    "runtime.invalid-id": "pass a positive integer id",
    "runtime.unknown-account": "the account id does not exist in the database",
    "runtime.unknown-user": "the user id does not exist; for a trial, create one: `cfgsync db create-user --account SLUG EMAIL`",
    "runtime.user-account-mismatch": "the user belongs to another account",
    "settings.invalid": "give a value the settings schema accepts",
    "settings.not-json": "give plain JSON: finite numbers, integers within ±2^53, no NUL, no `__proto__`/`constructor`/`prototype` keys",
    "settings.key-missing": "name the settings key",
    "settings.unknown-key": "use a key defined in settings-schemas.yaml",
    "override.invalid": "override only the allowed fields, with valid values",
    "override.unknown-integration": "use an integration type defined in integrations.yaml",
  }),
  ...family("#pull-requests-github-comment-and-check", {
    "github.token-missing": "set GITHUB_TOKEN (in a workflow: ${{ secrets.GITHUB_TOKEN }})",
    "github.repository-invalid": "GITHUB_REPOSITORY is OWNER/REPO",
    "github.api-url-invalid": "GITHUB_API_URL is an https URL (GitHub Enterprise: https://HOST/api/v3)",
    "github.sha-missing": "pass --sha or set GITHUB_SHA",
    "github.sha-invalid": "a commit SHA is 40 hex digits",
    "github.unauthorized": "GITHUB_TOKEN is invalid or expired",
    "github.forbidden": "give the workflow job the permission named in the message",
    "github.not-found": "check GITHUB_REPOSITORY and the pull request number",
    "github.invalid-request": "see GitHub's reason in the message",
    "github.http-error": "retry; if it persists, check githubstatus.com",
    "github.unreachable": "check GITHUB_API_URL and the network",
    "github.timeout": "retry; GitHub did not answer in time",
    "github.event-unreadable": "GITHUB_EVENT_PATH must name the workflow's event JSON, or pass --sha",
    "github.identity-unknown": "the token must be able to read its own identity (GET /user or GraphQL viewer)",
  }),
  ...family("#pull-requests-github-comment-and-check", {
    "github.rate-limited": "re-run after the time shown",
  }, ExitCode.retry),
  ...family("#environments", {
    "environment.unknown-address": "override an address the base configuration declares (the addresses `cfgsync plan` shows)",
    "environment.unknown-field": "override a field the address's kind has (identity fields and model_type, provider, unit stay as the base declares them)",
    "environment.invalid-value": "give the value the base document's field accepts",
    "environment.file-name": "an environment lives in environments/<name>.yaml, named as the file",
    "environment.database-unset": "export the variable database_url names, or pass --database-url",
    "plan.environment-mismatch": "apply a saved plan with the --env it was made for",
  }),
  ...family("#environments", {
    "usage.unknown-environment": "pass --env with the name of a file in config/environments/",
  }, ExitCode.usage),
  ...family("#watch-and-sync", {
    "sync.repo-unreachable": "check --repo and the credentials git uses",
    "sync.ref-not-found": "check --ref: the branch, tag or commit must exist",
    "sync.config-path": "--config-path must name the configuration directory inside the repository",
    "sync.workdir-not-empty": "choose an empty --workdir, or one cfgsync created",
    "sync.git-missing": "install git",
    "sync.git-failed": "see git's message; the next cycle retries",
    "sync.git-timeout": "raise --git-timeout or check the network",
    "sync.credentials-invalid": "give git credentials through the environment or a credential helper, never in --repo",
  }),
  ...family("#exit-codes", {
    internal: "this is a bug in cfgsync: please report it (CFGSYNC_DEBUG=1 prints the stack)",
  }),
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function codeInfo(code: Code): CodeInfo {
  return CODES[code];
}

export function isCode(value: string): value is Code {
  return Object.hasOwn(CODES, value);
}
