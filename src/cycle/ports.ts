/**
 * What a cycle needs to read, stated in domain terms. graph/ and scim/ implement these;
 * tests can pass small fakes. Vendor types and vendor errors never cross this line.
 */
import type { DirectorySnapshot, TargetGroup, TargetUser } from "../model/index.js";

export type ReadScope = "assigned" | "all";

export interface SnapshotRequest {
  /** The Klaxoon enterprise app: its appId, or its service principal object id. */
  readonly app: { readonly appId: string } | { readonly servicePrincipalId: string };
  readonly scope: ReadScope;
  /** Graph attribute names the mappings and scoping filters use (`id` is always added). */
  readonly userAttributes: readonly string[];
  readonly groupAttributes: readonly string[];
}

export interface DirectoryReader {
  /** A complete read or a thrown error; never a partial snapshot. */
  readSnapshot(request: SnapshotRequest): Promise<DirectorySnapshot>;
}

export interface TargetReader {
  /** Every user the server holds, flattened to `paths`. */
  listUsers(paths: readonly string[]): AsyncIterable<TargetUser>;
  /** Every group the server holds, flattened to `paths`, with member ids. */
  listGroups(paths: readonly string[]): AsyncIterable<TargetGroup>;
}
