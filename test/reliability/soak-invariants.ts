/**
 * Compares what the Klaxoon emulator holds with the model's expectation: exactly the expected
 * accounts (userName, active), groups (displayName, license) and, for assigned groups, members.
 * Returns the differences as readable lines; empty means Klaxoon is as expected.
 */
import { KLAXOON_GROUP_EXTENSION_URN, type KlaxoonEmulator } from "../emulators/klaxoon/index.js";
import type { ExpectedKlaxoon } from "./soak-model.js";

export function differences(klaxoon: KlaxoonEmulator, expected: ExpectedKlaxoon): string[] {
  const found: string[] = [];
  const userNameById = new Map<string, string>();
  const held = new Map<string, boolean>();
  for (const user of klaxoon.store.users.values()) {
    const userName = String(user["userName"]);
    userNameById.set(String(user["id"]), userName);
    if (held.has(userName)) found.push(`duplicate account ${userName}`);
    held.set(userName, user["active"] !== false);
  }
  for (const [userName, want] of expected.users) {
    const active = held.get(userName);
    if (active === undefined)
      found.push(`missing account ${userName} (should be ${want.active ? "active" : "inactive"})`);
    else if (active !== want.active)
      found.push(
        `account ${userName} is ${active ? "active" : "inactive"}, should be ${want.active ? "active" : "inactive"}`,
      );
  }
  for (const userName of held.keys()) if (!expected.users.has(userName)) found.push(`unexpected account ${userName}`);

  const heldGroups = new Set<string>();
  for (const group of klaxoon.store.groups.values()) {
    const name = String(group["displayName"]);
    if (heldGroups.has(name)) found.push(`duplicate group ${name}`);
    heldGroups.add(name);
    const want = expected.groups.get(name);
    if (!want) {
      found.push(`unexpected group ${name}`);
      continue;
    }
    const extension = group[KLAXOON_GROUP_EXTENSION_URN];
    const license =
      typeof extension === "object" && extension !== null
        ? (extension as Record<string, unknown>)["license"]
        : undefined;
    if (String(license) !== want.license)
      found.push(`group ${name} has license ${String(license)}, should be ${want.license}`);
    if (want.members === null) continue;
    const members = new Set(
      klaxoon.store.memberIds(String(group["id"])).map((id) => userNameById.get(id) ?? `<unknown id ${id}>`),
    );
    for (const member of want.members) if (!members.has(member)) found.push(`group ${name} lacks member ${member}`);
    for (const member of members)
      if (!want.members.has(member) && !want.optionalMembers.has(member))
        found.push(`group ${name} has unexpected member ${member}`);
  }
  for (const name of expected.groups.keys()) if (!heldGroups.has(name)) found.push(`missing group ${name}`);
  return found;
}
