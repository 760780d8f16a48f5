import type { MarginFigures } from "../../domain/margin.js";
import type { BlastRadius } from "./blast-radius.js";
import type { RevenueImpact } from "./revenue.js";

export interface MarginRow {
  operation_type: string;
  model_id: string;
  unit: "image" | "tokens";
  /** Decimal strings (USD); "per" says per what (image, 1M tokens). */
  before: MarginFigures | null;
  after: MarginFigures | null;
}

export interface PlanImpact {
  margins: MarginRow[];
  /** Replay of the recent usage log under the old and new prices (when the log has rows). */
  revenue?: RevenueImpact;
  /** Accounts a default or price change reaches, and overrides it breaks. */
  blast_radius?: BlastRadius;
}
