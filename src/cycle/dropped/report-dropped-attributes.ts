import type { Logger, ProvisioningRecord } from "../../log/index.js";
import type { ScimValue } from "../../model/index.js";
import type { Plan, PlanWarning } from "../../plan/index.js";
import type { DroppedAttribute } from "./find-dropped-attributes.js";

const CODE = "TARGET_DROPS_ATTRIBUTE";
/** As for the plan's warnings: each on its own line up to a point, then one line with the rest's count. */
const LOGGED = 20;

export interface DropReport {
  readonly cycleId: string;
  readonly log: Logger;
  readonly provisioningLog: { record(record: ProvisioningRecord): void };
}

/**
 * Reports this cycle's drops, once per object: a warning (logged, and returned for the cycle's
 * plan), and a provisioning record with the values sent and held. Later cycles do not send them
 * again, so they report nothing more until the value changes in Entra.
 */
export function reportDroppedAttributes(dropped: readonly DroppedAttribute[], report: DropReport): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  for (const drops of byObject(dropped)) {
    const first = drops[0]!;
    const what = drops.map((d) => `${d.path} (sent ${show(d.sent)}, holds ${show(d.held)})`).join("; ");
    const message = `Klaxoon answered success and did not store ${what}: not sent again until the Entra value changes`;
    warnings.push({ code: CODE, kind: first.kind, label: first.label, message });
    if (warnings.length <= LOGGED) {
      report.log.warn({ code: CODE, kind: first.kind, object: first.label, paths: drops.map((d) => d.path) }, message);
    }
    report.provisioningLog.record({
      cycleId: report.cycleId,
      kind: first.kind,
      action: first.action,
      object: first.label,
      sourceId: first.sourceId,
      targetId: first.targetId,
      status: "warning",
      reason: CODE,
      changes: drops.map((d) => ({ path: d.path, from: d.held, to: d.sent })),
    });
  }
  const more = warnings.length - LOGGED;
  if (more > 0) report.log.warn({ code: CODE, more }, `${more} more ${CODE} warnings (all of them are in the plan)`);
  return warnings;
}

/**
 * The plan a cycle returns: the one it applied, with what applying found among its warnings, so
 * the rendered plan, its JSON and the metrics show a drop in the cycle that found it.
 */
export function withFindings(plan: Plan, warnings: readonly PlanWarning[]): Plan {
  return warnings.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...warnings] };
}

function byObject(dropped: readonly DroppedAttribute[]): DroppedAttribute[][] {
  const objects = new Map<string, DroppedAttribute[]>();
  for (const drop of dropped) {
    const key = `${drop.kind}:${drop.sourceId}`;
    const drops = objects.get(key);
    if (drops) drops.push(drop);
    else objects.set(key, [drop]);
  }
  return [...objects.values()];
}

function show(value: ScimValue): string {
  return value === null ? "no value" : JSON.stringify(value);
}
