/**
 * The writer apply/ executes a plan through. scim/ implements it; every failure comes back
 * as a typed outcome, classified once in the adapter, never as a thrown vendor error.
 */
import type { FlatAttributes, ScimValue } from "../model/index.js";

export type PatchChange =
  | { readonly op: "add" | "replace"; readonly path: string; readonly value: ScimValue }
  | { readonly op: "remove"; readonly path: string };

export type FailureKind =
  | "throttled" // 429 that outlived our retries
  | "transient" // 5xx, reset, timeout
  | "conflict" // 409 uniqueness
  | "pending" // Klaxoon's 409 "User confirmation pending": retry in a later cycle
  | "invalid" // 400: do not retry
  | "unauthorized" // 401/403: stop the cycle
  | "fatal"; // anything that says the target is not what we expect

export type WriteOutcome<T = undefined> =
  | {
      readonly ok: true;
      readonly value: T;
      /**
       * What the server's answer says it now holds for the attributes written (a path it holds
       * no value for is absent); undefined when the answer did not carry the resource.
       */
      readonly stored?: FlatAttributes | undefined;
    }
  | {
      readonly ok: false;
      readonly kind: FailureKind;
      readonly status: number | null;
      /** A server message, safe to log (never a request header). */
      readonly message: string;
    };

export interface TargetWriter {
  createUser(attributes: FlatAttributes): Promise<WriteOutcome<{ readonly id: string }>>;
  patchUser(id: string, changes: readonly PatchChange[]): Promise<WriteOutcome>;
  /**
   * Creates the group with its first members in the same POST (one write, not two); the adapter
   * sends any members beyond its chunk size in follow-up PATCHes, whose outcome is `members`.
   */
  createGroup(attributes: FlatAttributes, memberIds: readonly string[]): Promise<WriteOutcome<CreatedGroup>>;
  patchGroup(id: string, changes: readonly PatchChange[]): Promise<WriteOutcome>;
  /** Removals and additions for one group in one PatchOp; member ids are SCIM user ids; the adapter chunks them. */
  changeMembers(groupId: string, change: MemberChange): Promise<WriteOutcome>;
}

export interface MemberChange {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface CreatedGroup {
  readonly id: string;
  /** How the members sent with the create fared (their follow-up PATCHes may fail alone). */
  readonly members: WriteOutcome;
}
