import type {
  AccountProtection,
  FlatAttributes,
  MappedResource,
  TargetGroup,
  TargetUser,
} from "../../src/model/index.js";
import type { PlanInput } from "../../src/plan/build-plan.js";
import type { DesiredObject } from "../../src/plan/plan-resources.js";

/** Builders of the planner's inputs, shared by the plan tests. */
export const EMAIL = 'emails[type eq "work"].value';
export const LICENSE = "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license";

export function desiredUser(
  sourceId: string,
  userName: string,
  extra: FlatAttributes = {},
  inactiveReason?: "disabled" | "softDeleted",
): DesiredObject {
  const resource: MappedResource = {
    kind: "user",
    sourceId,
    label: userName,
    attributes: { userName, active: true, [EMAIL]: userName, ...extra },
    createOnly: {},
    matchKeys: [{ path: "userName", value: userName }],
  };
  return inactiveReason ? { resource, inactiveReason } : { resource };
}

export function desiredGroup(sourceId: string, displayName: string, license: string): DesiredObject {
  return {
    resource: {
      kind: "group",
      sourceId,
      label: displayName,
      attributes: { displayName, [LICENSE]: license },
      createOnly: {},
      matchKeys: [{ path: "displayName", value: displayName }],
    },
  };
}

export function klaxoonUser(id: string, userName: string, extra: FlatAttributes = {}): TargetUser {
  const active = extra["active"] !== false;
  return { id, userName, active, attributes: { userName, active, [EMAIL]: userName, ...extra } };
}

export function input(overrides: {
  desired?: DesiredObject[];
  actual?: TargetUser[];
  links?: Record<string, string>;
  outOfScope?: string[];
  failed?: string[];
  groups?: DesiredObject[];
  actualGroups?: TargetGroup[];
  groupLinks?: Record<string, string>;
  members?: Record<string, string[]>;
  skipOutOfScopeDeletions?: boolean;
  maxDeactivations?: number;
  allow?: boolean;
  protection?: AccountProtection;
}): PlanInput {
  return {
    createdAt: "2026-01-01T00:00:00.000Z",
    users: {
      desired: overrides.desired ?? [],
      failed: (overrides.failed ?? []).map((sourceId) => ({
        sourceId,
        label: sourceId,
        reason: "mapping to active: IIF condition is null",
      })),
      outOfScope: new Set(overrides.outOfScope ?? []),
      links: new Map(Object.entries(overrides.links ?? {})),
      matchingPaths: ["userName"],
      requiredPaths: ["userName", EMAIL],
    },
    groups: {
      desired: overrides.groups ?? [],
      failed: [],
      outOfScope: new Set(),
      links: new Map(Object.entries(overrides.groupLinks ?? {})),
      matchingPaths: ["displayName"],
      requiredPaths: ["displayName"],
      members: overrides.members ? new Map(Object.entries(overrides.members)) : null,
    },
    actualUsers: overrides.actual ?? [],
    actualGroups: overrides.actualGroups ?? [],
    skipOutOfScopeDeletions: overrides.skipOutOfScopeDeletions ?? false,
    guard: { maxDeactivations: overrides.maxDeactivations ?? 500, allow: overrides.allow ?? false },
    ...(overrides.protection === undefined ? {} : { protection: overrides.protection }),
  };
}
