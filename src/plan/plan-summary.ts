import { KLAXOON_LICENSE_PATH } from "../model/index.js";
import type { Plan } from "./types.js";

export interface PlanSummary {
  /** Users created. */
  readonly create: number;
  /** Users updated or reactivated, and groups whose attributes change. */
  readonly update: number;
  /** Users deactivated (not those the deletion guard holds). */
  readonly deactivate: number;
  readonly groupCreate: number;
  /** Members added plus members removed, over every group. */
  readonly memberChanges: number;
  /** Groups whose license attribute changes (a subset of `update`, shown apart for who pays). */
  readonly licenseChanges: number;
}

export function summarisePlan(plan: Plan): PlanSummary {
  let create = 0;
  let update = 0;
  let deactivate = 0;
  let groupCreate = 0;
  let memberChanges = 0;
  let licenseChanges = 0;
  for (const op of plan.operations) {
    switch (op.action) {
      case "create":
        if (op.kind === "user") create += 1;
        else groupCreate += 1;
        break;
      case "update":
        update += 1;
        if (op.kind === "group" && op.changes.some((c) => c.path === KLAXOON_LICENSE_PATH)) licenseChanges += 1;
        break;
      case "reactivate":
        update += 1;
        break;
      case "deactivate":
        deactivate += 1;
        break;
      case "addMembers":
      case "removeMembers":
        memberChanges += op.members.length;
        break;
    }
  }
  return { create, update, deactivate, groupCreate, memberChanges, licenseChanges };
}

/** `Plan: 169 to create, 3 to update, 2 to deactivate, 1 group to create, 92 member changes, 0 license changes.` */
export function summaryLine(summary: PlanSummary): string {
  const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  return (
    `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.deactivate} to deactivate, ` +
    `${plural(summary.groupCreate, "group", "groups")} to create, ` +
    `${plural(summary.memberChanges, "member change", "member changes")}, ` +
    `${plural(summary.licenseChanges, "license change", "license changes")}.`
  );
}
