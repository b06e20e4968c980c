/** Directory objects as read from Microsoft Graph, already parsed (never raw wire JSON). */

/** Attribute values as Graph returns them after `$select`: scalars, string arrays or nested objects. */
export type SourceAttributes = Readonly<Record<string, unknown>>;

export interface DirectoryUser {
  readonly id: string;
  /** Every selected Graph attribute, by its Graph name (`userPrincipalName`, `mail`, …). */
  readonly attributes: SourceAttributes;
  /** Soft-deleted in Entra (delta `@removed: changed`); restorable for 30 days. */
  readonly softDeleted: boolean;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly attributes: SourceAttributes;
  /** Members that are users: direct ones, plus those of nested groups when `graph.nestedGroups.expand` is on. */
  readonly memberUserIds: readonly string[];
}

export interface AppRole {
  readonly id: string;
  readonly value: string | null;
  readonly displayName: string | null;
}

export interface ServicePrincipalInfo {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly appRoles: readonly AppRole[];
}

export type PrincipalType = "User" | "Group" | "ServicePrincipal";

export interface AppRoleAssignment {
  readonly principalId: string;
  readonly principalType: PrincipalType;
  /** All zeros for the default access role. */
  readonly appRoleId: string;
}

/** Members of a group a scoping clause names (`memberOf IS MEMBER OF <id>`), as user ids. */
export interface GroupMembership {
  readonly direct: ReadonlySet<string>;
  /** Direct members and members of nested groups (filled only when a clause asks for transitive membership). */
  readonly transitive: ReadonlySet<string>;
}

/**
 * A complete, consistent read of the source side. A partial read never becomes a snapshot:
 * readers throw instead, so nothing downstream can deactivate from missing data.
 */
export interface DirectorySnapshot {
  readonly servicePrincipal: ServicePrincipalInfo;
  /** Users in the read scope (assigned directly, members of an assigned group, or all). */
  readonly users: ReadonlyMap<string, DirectoryUser>;
  /** Groups in the read scope (assigned groups, or all). */
  readonly groups: ReadonlyMap<string, DirectoryGroup>;
  /** Per user id: the app role assignments that bring it into scope (direct and through groups). */
  readonly userAssignments: ReadonlyMap<string, readonly AppRoleAssignment[]>;
  /** Raw assignment count, for the deletion guard's "sharply shrunk" check. */
  readonly assignmentCount: number;
  /** Per group id named by a membership scoping clause: its members (absent when no clause names one). */
  readonly memberships?: ReadonlyMap<string, GroupMembership>;
}
