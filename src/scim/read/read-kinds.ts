/** Per resource kind, how a read turns a wire resource into the domain's target object. */
import type { ResourceKind, TargetGroup, TargetUser } from "../../model/index.js";
import { COLLECTION_PATH, type CollectionPath } from "../resources/kinds.js";
import { toTargetGroup, toTargetUser } from "./to-target.js";

export interface TargetOf {
  readonly user: TargetUser;
  readonly group: TargetGroup;
}

export interface KindReader<T> {
  readonly path: CollectionPath;
  /** The kind's name in messages. */
  readonly noun: string;
  convert(item: unknown, paths: readonly string[], what: string): T;
}

export const READ_KINDS: { readonly [K in ResourceKind]: KindReader<TargetOf[K]> } = {
  user: { path: COLLECTION_PATH.user, noun: "user", convert: toTargetUser },
  group: { path: COLLECTION_PATH.group, noun: "group", convert: toTargetGroup },
};
