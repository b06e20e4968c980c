/**
 * `npm run demo`: the agent against a local demo tenant and a local Klaxoon SCIM server, no
 * credentials, nothing beyond loopback. A dry run prints the plan, a real cycle applies it, a
 * second cycle finds nothing to do, and Klaxoon's contents are counted.
 */
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentRun } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";

const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function check(step: string, run: AgentRun, expected: readonly number[]): void {
  if (run.code !== null && expected.includes(run.code)) return;
  process.stderr.write(run.stderr);
  throw new Error(`${step}: the agent exited with code ${String(run.code)}`);
}

const tenant = generateTenant({ seed: 42, users: 400, groups: 8 });
// Klaxoon's guidance: one group for everyone (no PRO license), one for PRO users.
tenant.groups[0] = { ...tenant.groups[0]!, displayName: "Klaxoon PRO", securityEnabled: true };
const env = await startAgentEnvironment({ graph: { tenant, checkTrust: false }, built: true });
try {
  say(
    `Demo tenant: ${tenant.users.length} users, ${tenant.groups.length} groups, ${tenant.assignments.length} app role assignments`,
  );
  say(`Graph emulator ${env.graph.url} · Klaxoon SCIM emulator ${env.klaxoon.url}\n`);

  say("== 1. Dry run: what the agent would change (nothing is written) ==\n");
  const dry = await env.runAgent(["sync", "--dry-run"]);
  check("dry run", dry, [0]);
  say(dry.stdout);

  say("== 2. The real cycle ==\n");
  const first = await env.runAgent(["sync"]);
  check("first cycle", first, [0, 4]);
  say(
    first.stdout
      .split("\n")
      .filter((line) => line.startsWith("Applied") || line.startsWith("Plan: "))
      .join("\n"),
  );

  say("\n== 3. A second cycle: nothing changed in Entra, so nothing is written ==\n");
  const writesBefore = env.klaxoon.requestLog.count((e) => e.method !== "GET");
  const second = await env.runAgent(["sync"]);
  check("second cycle", second, [0]);
  const writes = env.klaxoon.requestLog.count((e) => e.method !== "GET") - writesBefore;
  say(
    `${second.stdout.includes("No changes.") ? "No changes." : "Changes found (unexpected)."} SCIM writes in this cycle: ${writes}`,
  );

  say("\n== 4. What Klaxoon now holds ==\n");
  const users = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
  const store = env.klaxoon.store;
  say(`  users            ${users.length}`);
  say(`  active users     ${users.filter((u) => u.active).length}`);
  say(`  groups           ${store.countGroups()}`);
  let memberships = 0;
  for (const id of store.groups.keys()) memberships += store.countMembers(id);
  say(`  group members    ${memberships}`);
  if (writes !== 0) process.exitCode = 1;
} finally {
  await env.close();
}
