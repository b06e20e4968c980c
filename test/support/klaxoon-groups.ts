/** What the Klaxoon emulator holds for a group, by display name: members as userNames, and the PRO license. */
import { KLAXOON_GROUP_EXTENSION_URN, type KlaxoonEmulator } from "../emulators/klaxoon/index.js";

export interface HeldGroup {
  /** Member userNames, sorted. */
  readonly members: readonly string[];
  readonly license: unknown;
}

export function heldGroup(klaxoon: KlaxoonEmulator, displayName: string): HeldGroup | null {
  const group = klaxoon.store.findGroupByDisplayName(displayName);
  if (!group) return null;
  const members = klaxoon.store
    .memberIds(String(group["id"]))
    .map((id) => String(klaxoon.store.users.get(id)?.["userName"] ?? `?${id}`));
  const extension = group[KLAXOON_GROUP_EXTENSION_URN];
  const license =
    typeof extension === "object" && extension !== null && "license" in extension ? extension.license : undefined;
  return { members: members.sort(), license };
}

/** Display names of every group Klaxoon holds, sorted. */
export function heldGroupNames(klaxoon: KlaxoonEmulator): string[] {
  return [...klaxoon.store.groups.values()].map((g) => String(g["displayName"])).sort();
}
