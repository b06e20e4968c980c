import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/daemon/metrics.js";
import type { Plan, PlanWarning } from "../../src/plan/index.js";

describe("metrics of plan warnings", () => {
  it("counts each cycle's warnings by kind and code, a dropped attribute among them", async () => {
    const metrics = createMetrics();
    const warning = (code: PlanWarning["code"], kind: PlanWarning["kind"]): PlanWarning => ({ code, kind, label: "ada", message: "…" });
    const plan = (warnings: PlanWarning[]): Plan => ({ version: 2, createdAt: "", operations: [], held: [], adoptions: [], warnings, guard: { held: false, deactivations: 0, reason: null }, counts: {} });
    const report = { results: [], created: [], succeeded: 0, failed: 0, deferred: [], escrows: {} };
    metrics.recordCycle({ cycleId: "c1", outcome: "success", plan: plan([warning("TARGET_DROPS_ATTRIBUTE", "user"), warning("TARGET_DROPS_ATTRIBUTE", "group")]), report }, 1);
    metrics.recordCycle({ cycleId: "c2", outcome: "success", plan: plan([warning("UNMANAGED_ACCOUNT", "user")]), report }, 1);
    const text = await metrics.render();
    expect(text).toContain('entra_klaxoon_sync_plan_warnings_total{kind="user",code="TARGET_DROPS_ATTRIBUTE"} 1');
    expect(text).toContain('entra_klaxoon_sync_plan_warnings_total{kind="group",code="TARGET_DROPS_ATTRIBUTE"} 1');
    expect(text).toContain('entra_klaxoon_sync_plan_warnings_total{kind="user",code="UNMANAGED_ACCOUNT"} 1');
  });
});
