import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { at, docsOf, startOf } from "../documents.js";
import type { Rule } from "./types.js";

const SINGLETONS = [
  { kind: "IntegrationSettings", file: "integrations.yaml", required: true },
  { kind: "CreditCosts", file: "credits.yaml", required: false },
  { kind: "SettingsSchemas", file: "settings-schemas.yaml", required: false },
  { kind: "Policy", file: "policies.yaml", required: false },
] as const;

/** Exactly one IntegrationSettings (the singleton row) and at most one of each other singleton document. */
export const singletonDocuments: Rule = {
  name: "singleton-documents",
  needs: ["IntegrationSettings", "CreditCosts", "SettingsSchemas", "Policy"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    for (const { kind, file, required } of SINGLETONS) {
      const found = docs.filter((d) => d.kind === kind);
      if (found.length === 0 && required) {
        out.push(diagnostic("error", "documents.missing", `no ${kind} document found; the platform needs one (config/${file})`));
      }
      const first = found[0];
      for (const extra of found.slice(1)) {
        const prev = startOf(first!);
        out.push(
          diagnostic("error", "documents.duplicate", `a second ${kind} document; there may be only one (the first is at ${prev.file}:${prev.line})`, startOf(extra)),
        );
      }
    }
    return out;
  },
};

/** config/models/<provider>.yaml (or models/<provider>/*.yaml) and config/accounts/<slug>.yaml: the file says what it holds. */
export const fileNames: Rule = {
  name: "file-names",
  needs: ["ModelCatalog", "Account"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    for (const doc of docsOf(docs, "ModelCatalog")) {
      const provider = doc.data.provider;
      // A large provider may split its catalog into a folder of files.
      const parts = doc.yaml.file.split("/");
      const name = parts[parts.length - 1]!;
      const inFile = name.replace(/\.ya?ml$/i, "") === provider && parts[parts.length - 2] === "models";
      const inFolder = parts[parts.length - 2] === provider && parts[parts.length - 3] === "models";
      if (!inFile && !inFolder) {
        out.push(
          diagnostic(
            "error",
            "catalog.file-name",
            `the ${provider} catalog must live in models/${provider}.yaml or models/${provider}/*.yaml (under the config directory), not ${doc.yaml.file}`,
            at(doc, ["provider"]),
          ),
        );
      }
    }
    for (const doc of docsOf(docs, "Account")) {
      const base = doc.yaml.file.split("/").pop()!.replace(/\.ya?ml$/i, "");
      const parent = doc.yaml.file.split("/").slice(-2, -1)[0];
      if (base !== doc.data.account || parent !== "accounts") {
        out.push(
          diagnostic(
            "error",
            "account.file-name",
            `account ${doc.data.account} must live in accounts/${doc.data.account}.yaml (under the config directory), not ${doc.yaml.file}`,
            at(doc, ["account"]),
          ),
        );
      }
    }
    return out;
  },
};

/** One file per account: two documents for the same slug would fight over its rows. */
export const uniqueAccounts: Rule = {
  name: "unique-accounts",
  needs: ["Account"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    const first = new Map<string, string>();
    for (const doc of docsOf(docs, "Account")) {
      const pos = at(doc, ["account"]);
      const prev = first.get(doc.data.account);
      if (prev) out.push(diagnostic("error", "account.duplicate", `account ${doc.data.account} is already declared at ${prev}`, pos));
      else first.set(doc.data.account, `${pos.file}:${pos.line}`);
    }
    return out;
  },
};
