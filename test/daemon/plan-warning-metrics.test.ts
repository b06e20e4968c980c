import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/daemon/observe/metrics.js";
import type { Plan, PlanOperation, PlanWarning } from "../../src/plan/types.js";
import { emptyPlan } from "../support/empty-plan.js";

describe("metrics of plan warnings", () => {
  it("shows the last cycle's warnings by code, a dropped attribute among them (found once, so gone next cycle)", async () => {
    const metrics = createMetrics();
    const warning = (code: PlanWarning["code"], kind: PlanWarning["kind"]): PlanWarning => ({
      code,
      kind,
      label: "ada",
      message: "…",
    });
    const plan = (warnings: PlanWarning[]): Plan => emptyPlan({ warnings });
    const report = { results: [], created: [], succeeded: 0, failed: 0, deferred: [], escrows: {} };
    metrics.recordCycle(
      {
        cycleId: "c1",
        outcome: "success",
        plan: plan([warning("TARGET_DROPS_ATTRIBUTE", "user"), warning("TARGET_DROPS_ATTRIBUTE", "group")]),
        report,
      },
      1,
    );
    expect(await metrics.render()).toContain('entra_klaxoon_sync_plan_warnings{code="TARGET_DROPS_ATTRIBUTE"} 2');
    metrics.recordCycle(
      { cycleId: "c2", outcome: "success", plan: plan([warning("UNMANAGED_ACCOUNT", "user")]), report },
      1,
    );
    const text = await metrics.render();
    expect(text).toContain('entra_klaxoon_sync_plan_warnings{code="TARGET_DROPS_ATTRIBUTE"} 0');
    expect(text).toContain('entra_klaxoon_sync_plan_warnings{code="UNMANAGED_ACCOUNT"} 1');
  });

  it("counts the operations protect: rules withheld, by action, for the last cycle only", async () => {
    const metrics = createMetrics();
    const deactivate: PlanOperation = {
      action: "deactivate",
      kind: "user",
      object: { sourceId: "s1", targetId: "k1", label: "admin@contoso.com" },
      reason: "unassigned",
      changes: [{ path: "active", from: true, to: false }],
    };
    const plan = (withheld: Plan["protected"]): Plan => emptyPlan({ protected: withheld });
    const rule = 'protect.userNames[0] "admin@*"';
    metrics.recordCycle(
      { cycleId: "c1", outcome: "dryRun", plan: plan([{ operation: deactivate, rule }]), report: null },
      1,
    );
    const first = await metrics.render();
    expect(first).toContain('entra_klaxoon_sync_protected_operations{action="deactivate"} 1');
    expect(first).toContain('entra_klaxoon_sync_protected_operations{action="update"} 0');
    metrics.recordCycle({ cycleId: "c2", outcome: "dryRun", plan: plan([]), report: null }, 1);
    expect(await metrics.render()).toContain('entra_klaxoon_sync_protected_operations{action="deactivate"} 0');
  });
});
