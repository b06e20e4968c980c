import type { AccountProtection, TargetUser } from "../model/index.js";
import type { TargetIndex } from "./target-index.js";
import type { ObjectRef, PlanOperation, PlanWarning, ProtectedOperation } from "./types.js";

export interface Protected {
  readonly kept: PlanOperation[];
  readonly withheld: ProtectedOperation[];
  readonly warnings: PlanWarning[];
}

/**
 * Takes out of the plan what would touch a protected Klaxoon account: its updates,
 * reactivation and deactivation, and its removal from a group (the other members' changes
 * stay). Run before the deletion guard counts, so protected accounts never fill its queue. A
 * deactivation withheld is a warning: Entra says the person should lose access.
 */
export function withholdProtected(
  operations: readonly PlanOperation[],
  users: TargetIndex<TargetUser>,
  protection: AccountProtection,
): Protected {
  const result: Protected = { kept: [], withheld: [], warnings: [] };
  if (protection.rules === 0) {
    result.kept.push(...operations);
    return result;
  }
  const ruleFor = (ref: ObjectRef): string | null => {
    const account = ref.targetId === null ? undefined : users.byId.get(ref.targetId);
    return account === undefined ? null : protection.protectedBy(account);
  };
  for (const op of operations) {
    if (op.action === "removeMembers") {
      const protectedMembers = op.members.flatMap((member) => {
        const rule = ruleFor(member);
        return rule === null ? [] : [{ member, rule }];
      });
      if (protectedMembers.length === 0) {
        result.kept.push(op);
        continue;
      }
      const others = op.members.filter((m) => !protectedMembers.some((p) => p.member === m));
      if (others.length > 0) result.kept.push({ ...op, members: others });
      for (const { member, rule } of protectedMembers)
        result.withheld.push({ operation: { ...op, members: [member] }, rule });
      continue;
    }
    const rule = op.kind === "user" && op.action !== "create" ? ruleFor(op.object) : null;
    if (rule === null) {
      result.kept.push(op);
      continue;
    }
    result.withheld.push({ operation: op, rule });
    if (op.action === "deactivate")
      result.warnings.push({
        code: "PROTECTED_ACCOUNT",
        kind: "user",
        label: op.object.label,
        message: `would be deactivated (${op.reason}) but ${rule} protects it: left active; deactivate it by hand if it should go`,
        ...(op.object.sourceId === null ? {} : { sourceId: op.object.sourceId }),
      });
  }
  return result;
}
