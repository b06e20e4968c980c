/** Per resource kind: where its collection lives and which attribute names it (unique per kind). */
import type { ResourceKind } from "../../model/index.js";

export type CollectionPath = "/Users" | "/Groups";

export const COLLECTION_PATH: Readonly<Record<ResourceKind, CollectionPath>> = { user: "/Users", group: "/Groups" };

export const IDENTITY_ATTRIBUTE: Readonly<Record<ResourceKind, string>> = { user: "userName", group: "displayName" };
