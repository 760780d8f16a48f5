import type { MarginBasis, MarginFigures } from "../../domain/margin.js";
import type { JsonValue } from "../../domain/resources.js";
import type { BlastRadius } from "./blast-radius.js";
import type { RevenueImpact } from "./revenue.js";

export interface MarginRow {
  operation_type: string;
  model_id: string;
  unit: "image" | "tokens";
  /** What the figures are per, named (per image, per 1M output tokens). */
  per: MarginBasis;
  /** Decimal strings (USD); token operations also carry their minimum charge per call. */
  before: MarginFigures | null;
  after: MarginFigures | null;
  /**
   * Set when the model has more than one price for the unit (image sizes x
   * qualities, long-context tiers, batch): `before`/`after` above are at the
   * worst price (`dimension` names it, what the policy checks), `cheapest` at
   * the cheapest. Absent for a single-price model, whose dimension is its base price.
   */
  prices?: {
    before: { dimension: string; cheapest: { dimension: string; figures: MarginFigures } } | null;
    after: { dimension: string; cheapest: { dimension: string; figures: MarginFigures } } | null;
  };
}

export interface PlanImpact {
  margins: MarginRow[];
  /** Replay of the recent usage log under the old and new prices (when the log has rows). */
  revenue?: RevenueImpact;
  /** Accounts a default or price change reaches, and overrides it breaks. */
  blast_radius?: BlastRadius;
}

/** One field a scheduled entry changes: its value just before the entry and from it on. */
export interface ScheduledFieldChange {
  address: string;
  field: string;
  before: JsonValue;
  after: JsonValue;
  /** The entry's line for this field. */
  source: { file: string; line: number };
}

/** What comes due at one instant after the plan's: the fields it changes and what that does to margins and revenue. */
export interface ScheduledStep {
  /** UTC, e.g. 2027-01-01T00:00:00Z. */
  effective_from: string;
  /** Seconds from the plan's instant (`Plan.scheduled.as_of`) until it is due. */
  due_in_seconds: number;
  changes: ScheduledFieldChange[];
  /** Margins that move, from the state just before the step to the state from it on. */
  margins: MarginRow[];
  /** The usage window replayed at the step's prices (before: as recorded), when the log has rows. */
  revenue?: RevenueImpact;
}

/** What is scheduled but not yet due at the plan's instant (absent from a plan when nothing is). */
export interface ScheduledSection {
  /** The instant the plan is made as of (now, or `plan --at`). */
  as_of: string;
  steps: ScheduledStep[];
}
