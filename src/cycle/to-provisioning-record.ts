import type { OperationResult } from "../apply/index.js";
import type { ProvisioningRecord } from "../log/index.js";

export function toProvisioningRecord(cycleId: string, result: OperationResult): ProvisioningRecord {
  const op = result.operation;
  return {
    cycleId,
    kind: op.kind,
    action: op.action,
    object: op.object.label,
    sourceId: op.object.sourceId,
    targetId: result.targetId ?? op.object.targetId,
    status: result.status,
    ...("changes" in op ? { changes: op.changes } : {}),
    ...(op.action === "create"
      ? { changes: Object.entries(op.attributes).map(([path, to]) => ({ path, from: null, to })) }
      : {}),
    ...(op.action === "deactivate" ? { reason: op.reason } : {}),
    ...(op.drift ? { drift: true as const } : {}),
    ...(op.action === "addMembers" || op.action === "removeMembers"
      ? { changes: op.members.map((m) => ({ path: "members", from: null, to: m.label })) }
      : {}),
    ...(result.status === "success" ? {} : { httpStatus: result.httpStatus, error: result.message }),
  };
}
