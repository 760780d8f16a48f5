import { describe, expect, test } from "vitest";
import { planPolicyDiagnostics } from "../../src/plan/policy.js";
import type { Change } from "../../src/plan/types.js";
import type { DesiredState, LiveState } from "../../src/domain/state.js";
import { FIXED_SECRET_SALT } from "../helpers/secret-salt.js";

describe("price-change policy", () => {
  test("min_credits 3 -> 5 is named for what it is, with two decimals (issue #13)", () => {
    const desired: DesiredState = { resources: [], accounts: [], secretRefs: [], policy: { apiVersion: "cfgsync/v1", kind: "Policy", max_price_change_pct: 50 } };
    const live: LiveState = { resources: [], lastApplied: new Map(), accounts: new Map(), secretSalt: FIXED_SECRET_SALT };
    const changes: Change[] = [
      { address: "credit/content_generation", kind: "credit", action: "update", fields: [{ name: "min_credits", before: 3, after: 5 }], source: { file: "config/credits.yaml", line: 14 } },
    ];
    const [d] = planPolicyDiagnostics({ changes, desired, live });
    expect(d!.message).toBe(
      "credit/content_generation: min_credits (the minimum charge per call, in credits) changes from 3 to 5 (66.67 %), more than the policy's max_price_change_pct of 50 %",
    );
  });
});
