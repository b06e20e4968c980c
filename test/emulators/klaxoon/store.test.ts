import { describe, expect, it } from "vitest";
import { KlaxoonStore } from "./store.js";

describe("Klaxoon emulator store: the userName index", () => {
  it("finds a user by userName whatever the case, and frees the old name when a user is renamed", () => {
    const store = new KlaxoonStore();
    const id = store.seedUser({ userName: "Ada@Example.com" });
    expect(store.findUserByUserName("ada@example.COM")?.["id"]).toBe(id);
    store.users.set(id, { ...store.users.get(id), userName: "ada.lovelace@example.com" });
    expect(store.findUserByUserName("ada@example.com")).toBeUndefined();
    expect(store.findUserByUserName("ADA.LOVELACE@example.com")?.["id"]).toBe(id);
  });

  it("keeps every holder of a duplicated name and forgets deleted users", () => {
    const store = new KlaxoonStore();
    const first = store.seedUser({ userName: "twin@example.com" });
    const second = store.seedUser({ userName: "twin@example.com" });
    expect(store.users.withUserName("twin@example.com").map((u) => u["id"])).toEqual([first, second]);
    expect(store.findUserByUserName("twin@example.com", first)?.["id"]).toBe(second);
    store.users.delete(first);
    expect(store.findUserByUserName("twin@example.com", second)).toBeUndefined();
    store.users.clear();
    expect(store.findUserByUserName("twin@example.com")).toBeUndefined();
  });
});
