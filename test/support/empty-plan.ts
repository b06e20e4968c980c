import { PLAN_VERSION, type Plan } from "../../src/plan/types.js";

/** A plan with nothing in it, as a no-op cycle returns; `overrides` adds what a test is about. */
export function emptyPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    version: PLAN_VERSION,
    createdAt: "2026-01-01T00:00:00.000Z",
    operations: [],
    held: [],
    protected: [],
    adoptions: [],
    warnings: [],
    guard: { held: false, deactivations: 0, reason: null },
    counts: {},
    ...overrides,
  };
}
