/**
 * The small world every fault case starts from, and what Klaxoon must hold once it converges.
 *
 * Entra: 16 people. "Klaxoon PRO" (license "true") and "Klaxoon Everyone" (license "false") are
 * assigned to the app, and five people are assigned directly. A first, fault-free cycle
 * provisions members 1–14. Then legitimate changes are made in Entra and wait for the faulted
 * cycle: two new people (15 into the PRO group, 16 assigned directly), a renamed given name (5),
 * a move between groups (6: Everyone → PRO), and two legitimate deactivations (12 unassigned,
 * 13 disabled). Any other deactivation the Klaxoon emulator records is a wrong one.
 */
import { KLAXOON_GROUP_EXTENSION_URN, type KlaxoonEmulatorOptions } from "../emulators/klaxoon/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { upn } from "../support/provisioning-records.js";

export const PRO_GROUP = "Klaxoon PRO";
export const EVERYONE_GROUP = "Klaxoon Everyone";
const LICENSE_OF: Record<string, string> = { [PRO_GROUP]: "true", [EVERYONE_GROUP]: "false" };
const RENAMED_GIVEN_NAME = "Renamed5";

/** Who is where before the pending changes (member numbers). */
const PRO_BEFORE = [1, 2, 3, 4];
const EVERYONE_BEFORE = [5, 6, 7, 8, 9];
const DIRECT_BEFORE = [10, 11, 12, 13, 14];

/** The legitimate deactivations: 12 unassigned, 13 disabled. Nobody else may be deactivated. */
export const LEGITIMATE_DEACTIVATIONS: readonly string[] = [upn(12), upn(13)];

export interface FaultWorld {
  readonly env: AgentEnvironment;
  /** Entra object id of member n. */
  readonly userId: (n: number) => string;
  readonly groupId: (displayName: string) => string;
  /** Klaxoon requests a cycle makes before its first write (its reads), measured on the baseline. */
  readonly readsBeforeFirstWrite: number;
}

export interface WorldOptions {
  readonly klaxoon?: KlaxoonEmulatorOptions;
  /** Extra top-level YAML for the agent's config. */
  readonly extraConfig?: string;
  /** The mappings file's text, written beside the config (`<env.dir>/mappings.yaml`); default: the shipped one. */
  readonly mappingsYaml?: string;
  /** Extra lines inside `graph:` (default FAST_GRAPH_LINES). */
  readonly graphLines?: readonly string[];
  /** Extra lines inside `klaxoon:` (default FAST_KLAXOON_LINES). */
  readonly klaxoonLines?: readonly string[];
  /** Graph page size: small, so reads page and a fault can strike midway. */
  readonly graphPageSize?: number;
}

/** Short timeouts and few retries keep a whole case within seconds. */
export const FAST_GRAPH_LINES: readonly string[] = ["  requestTimeoutSeconds: 2", "  maxRetries: 4"];
export const FAST_KLAXOON_LINES: readonly string[] = ["  timeoutSeconds: 2"];

/** Starts the emulators, provisions the baseline (one fault-free cycle) and makes the pending Entra changes. */
export async function startFaultWorld(options: WorldOptions = {}): Promise<FaultWorld> {
  const env = await startAgentEnvironment({
    graph: { tenant: generateTenant({ seed: 21, users: 0, groups: 0 }), maxPageSize: options.graphPageSize ?? 5 },
    ...(options.klaxoon ? { klaxoon: options.klaxoon } : {}),
    ...(options.extraConfig !== undefined ? { extraConfig: options.extraConfig } : {}),
    ...(options.mappingsYaml !== undefined ? { mappingsYaml: options.mappingsYaml } : {}),
    graphLines: options.graphLines ?? FAST_GRAPH_LINES,
    klaxoonLines: options.klaxoonLines ?? FAST_KLAXOON_LINES,
  });
  const users = new Map<number, string>();
  const groups = new Map<string, string>();
  const world: { -readonly [K in keyof FaultWorld]: FaultWorld[K] } = {
    env,
    readsBeforeFirstWrite: 0,
    userId: (n) => users.get(n) ?? fail(`no member ${n}`),
    groupId: (name) => groups.get(name) ?? fail(`no group ${name}`),
  };
  const addPerson = (n: number): string => {
    const nick = `member${String(n).padStart(2, "0")}`;
    const user = env.graph.admin.addUser({
      userPrincipalName: upn(n),
      mail: upn(n),
      mailNickname: nick,
      givenName: `Given${n}`,
      surname: `Family${n}`,
    });
    users.set(n, user.id);
    return user.id;
  };
  for (let n = 1; n <= 14; n += 1) addPerson(n);
  for (const [name, members] of [
    [PRO_GROUP, PRO_BEFORE],
    [EVERYONE_GROUP, EVERYONE_BEFORE],
  ] as const) {
    const group = env.graph.admin.addGroup({
      displayName: name,
      mailNickname: name.replaceAll(" ", ""),
      memberIds: members.map(world.userId),
    });
    groups.set(name, group.id);
    env.graph.admin.assign(group.id);
  }
  for (const n of DIRECT_BEFORE) env.graph.admin.assign(world.userId(n));

  const baseline = await env.runAgent(["sync"]);
  if (baseline.code !== 0)
    throw new Error(`the fault-free baseline cycle failed (${String(baseline.code)}): ${baseline.stderr}`);
  const entries = env.klaxoon.requestLog.entries;
  const firstWrite = entries.findIndex((e) => e.method !== "GET");
  world.readsBeforeFirstWrite = firstWrite === -1 ? entries.length : firstWrite;

  // The legitimate changes the faulted cycle must carry through.
  env.graph.admin.addMember(world.groupId(PRO_GROUP), addPerson(15));
  env.graph.admin.assign(addPerson(16));
  env.graph.admin.updateUser(world.userId(5), { givenName: RENAMED_GIVEN_NAME });
  env.graph.admin.removeMember(world.groupId(EVERYONE_GROUP), world.userId(6));
  env.graph.admin.addMember(world.groupId(PRO_GROUP), world.userId(6));
  env.graph.admin.unassign(world.userId(12));
  env.graph.admin.disableUser(world.userId(13));
  env.klaxoon.requestLog.clear();
  return world;
}

export interface HeldWorld {
  /** userName → active, every account Klaxoon holds (a duplicate shows as a count above one). */
  readonly users: Record<string, boolean>;
  readonly userCount: number;
  readonly givenName5: unknown;
  /** displayName → { license, sorted member userNames }. */
  readonly groups: Record<string, { readonly license: unknown; readonly members: readonly string[] }>;
}

/** What Klaxoon holds, in the shape of `EXPECTED_WORLD`. */
export function heldWorld(env: AgentEnvironment): HeldWorld {
  const store = env.klaxoon.store;
  const users: Record<string, boolean> = {};
  const nameOf = new Map<string, string>();
  for (const user of store.users.values()) {
    const userName = String(user["userName"]).toLowerCase();
    users[userName] = user["active"] !== false;
    nameOf.set(String(user["id"]), userName);
  }
  const groups: Record<string, { license: unknown; members: string[] }> = {};
  for (const group of store.groups.values()) {
    const id = String(group["id"]);
    const extension = group[KLAXOON_GROUP_EXTENSION_URN];
    const license =
      typeof extension === "object" && extension !== null && "license" in extension ? extension.license : undefined;
    groups[String(group["displayName"])] = {
      license,
      members: store
        .memberIds(id)
        .map((m) => nameOf.get(m) ?? `unknown:${m}`)
        .sort(),
    };
  }
  const five = store.findUserByUserName(upn(5));
  const name = five?.["name"];
  return {
    users,
    userCount: store.countUsers(),
    givenName5: typeof name === "object" && name !== null && "givenName" in name ? name.givenName : undefined,
    groups,
  };
}

const members = (ns: readonly number[]): string[] => ns.map(upn).sort();

/** Exactly what Klaxoon must hold once the legitimate changes are through. */
export const EXPECTED_WORLD: HeldWorld = {
  users: Object.fromEntries(
    Array.from({ length: 16 }, (_, i) => [upn(i + 1), !LEGITIMATE_DEACTIVATIONS.includes(upn(i + 1))]),
  ),
  userCount: 16,
  givenName5: RENAMED_GIVEN_NAME,
  groups: {
    [PRO_GROUP]: { license: LICENSE_OF[PRO_GROUP], members: members([1, 2, 3, 4, 6, 15]) },
    [EVERYONE_GROUP]: { license: LICENSE_OF[EVERYONE_GROUP], members: members([5, 7, 8, 9]) },
  },
};

/** Deactivations the emulator recorded that are not legitimate (by userName). */
export function wrongDeactivations(env: AgentEnvironment): string[] {
  return env.klaxoon.deactivations
    .map((d) => d.userName.toLowerCase())
    .filter((name) => !LEGITIMATE_DEACTIVATIONS.includes(name));
}

function fail(message: string): never {
  throw new Error(message);
}
