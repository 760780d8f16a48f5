import type { Diagnostic, SourceRef } from "../../domain/diagnostic.js";
import type { FieldValue, Resource } from "../../domain/resources.js";
import type { DesiredState } from "../../domain/state.js";
import type { DocumentKind } from "../../schema/document-kinds.js";
import type { ConfigDocument } from "../documents.js";

/** What every rule sees: the schema-valid documents, the desired state built from them, and "today". */
export interface RuleContext {
  docs: readonly ConfigDocument[];
  desired: DesiredState;
  /** YYYY-MM-DD (UTC): handed in, so tests can pin it. */
  today: string;
  models: Map<string, Resource>;
}

/** A named cross-file check. Rules only read; each returns every problem it finds. */
export interface Rule {
  name: string;
  /**
   * The document kinds the rule reads. It is skipped when one of them failed to
   * parse or validate: judging half a catalog would only add false alarms.
   */
  needs: readonly DocumentKind[];
  /**
   * The rule judges each resource by itself: it reads the documents, `today`
   * and one resource at a time, never the rest of the state, so its verdict
   * on a state is the verdicts on each resource put together. Then another
   * state (an environment's, a scheduled instant's) is judged again only
   * where its resources differ (rules/index.ts).
   */
  alone?: true;
  check(ctx: RuleContext): Diagnostic[];
}

export const str = (v: FieldValue | undefined): string | null => (typeof v === "string" ? v : null);
export const num = (v: FieldValue | undefined): number | null => (typeof v === "number" ? v : null);

/** A field's written position, else the resource's. */
export function sourceOf(r: Resource, field?: string): SourceRef | undefined {
  return (field && r.fieldSources?.[field]) || r.source;
}

export const modelsOf = (desired: DesiredState) => desired.resources.filter((r) => r.kind === "model");
export const creditsOf = (desired: DesiredState) => desired.resources.filter((r) => r.kind === "credit");
