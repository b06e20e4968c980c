import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * A user Klaxoon cannot take (a required attribute maps to null) is not created; the warning
 * saying so must stay in every cycle's summary until the user is fixed, not only in the full
 * cycle that found it: the delta cycles after it do not plan the unchanged user again.
 */
describe("warnings last until their cause is fixed", () => {
  let env: AgentEnvironment;
  let noSurname = "";
  const sync = async (...args: string[]): Promise<string> => {
    const run = await env.runAgent(["sync", ...args]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const WARNING =
    /\[REQUIRED_ATTRIBUTE_NULL\] user nosurname@contoso\.example: not created: required name\.familyName maps to null/;

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 77, users: 0, groups: 0 }) } });
    const ada = env.graph.admin.addUser({
      userPrincipalName: "ada@contoso.example",
      mail: "ada@contoso.example",
      mailNickname: "ada",
      givenName: "Ada",
      surname: "Lovelace",
    });
    const user = env.graph.admin.addUser({
      userPrincipalName: "nosurname@contoso.example",
      mail: "nosurname@contoso.example",
      mailNickname: "nosurname",
      givenName: "No",
      surname: null,
    });
    noSurname = user.id;
    env.graph.admin.assign(ada.id);
    env.graph.admin.assign(user.id);
  });
  afterAll(async () => env.close());

  it("the full cycle that finds the problem warns", async () => {
    expect(await sync()).toMatch(WARNING);
    expect(env.klaxoon.store.findUserByUserName("nosurname@contoso.example")).toBeUndefined();
  });

  it("so do the delta cycles after it, which do not plan the user again, and dry runs", async () => {
    env.klaxoon.requestLog.clear();
    const quiet = await sync();
    expect(quiet).toMatch(WARNING);
    expect(quiet).toContain("found first by the cycle of");
    // Still a quiet cycle: the probe only, nothing looked up or written for the user.
    expect(env.klaxoon.requestLog.entries.map((e) => e.method)).toEqual(["GET"]);
    expect(await sync("--dry-run")).toMatch(WARNING);
  });

  it("once the user is fixed in Entra, the user is created and the warning is gone", async () => {
    env.graph.admin.updateUser(noSurname, { surname: "Fixed" });
    expect(await sync()).not.toMatch(/REQUIRED_ATTRIBUTE_NULL/);
    expect(env.klaxoon.store.findUserByUserName("nosurname@contoso.example")).toBeDefined();
    expect(await sync()).not.toMatch(/REQUIRED_ATTRIBUTE_NULL/);
  });
});
