import type { MarginBasis, MarginFigures } from "../../domain/margin.js";
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
