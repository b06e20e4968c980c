/** Read-side helpers for tests, over the emulator's store (no HTTP, no log entries). */
import type { KlaxoonEmulator } from "./start-klaxoon-emulator.js";
import type { JsonObject } from "./store.js";

export function countUsers(emulator: KlaxoonEmulator): number {
  return emulator.store.countUsers();
}

export function countActiveUsers(emulator: KlaxoonEmulator): number {
  return emulator.store.countActiveUsers();
}

export function countGroups(emulator: KlaxoonEmulator): number {
  return emulator.store.countGroups();
}

export function countMembers(emulator: KlaxoonEmulator, groupId: string): number {
  return emulator.store.countMembers(groupId);
}

export function memberIds(emulator: KlaxoonEmulator, groupId: string): string[] {
  return emulator.store.memberIds(groupId);
}

export function getUserByUserName(emulator: KlaxoonEmulator, userName: string): JsonObject | undefined {
  return emulator.store.findUserByUserName(userName);
}

export function getGroupByDisplayName(emulator: KlaxoonEmulator, displayName: string): JsonObject | undefined {
  return emulator.store.findGroupByDisplayName(displayName);
}
