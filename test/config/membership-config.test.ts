import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { ConfigError } from "../../src/model/index.js";
import { configYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";

/** `graph.nestedGroups` and membership scoping clauses, as the config file states them. */
const GROUP = "0b3c2f7e-5d4a-4c1b-9e8f-7a6b5c4d3e2f";
let dir: string;

/** The config with `graphLine` (if any) under `graph:` and `rest` after `state:`. */
async function load(graphLine: string, rest = "") {
  const path = join(dir, "config.yaml");
  await writeFile(path, configYaml({ graphLines: graphLine === "" ? [] : [graphLine], extra: rest }), "utf8");
  return loadConfig(path, { GRAPH_SECRET: "s" });
}

const refusal = (graphLine: string, rest = ""): Promise<ConfigError> => configRefusal(load(graphLine, rest));

const users = (clause: string) => `scoping:\n  users:\n    - - ${clause}\n`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-membership-"));
  await writeFile(join(dir, "token.txt"), "t\n");
});

describe("nested groups and membership clauses in the config", () => {
  it("leaves nested groups unexpanded by default, like Entra, with a depth limit of 5", async () => {
    const config = await load("");
    expect(config.graph.nestedGroups).toEqual({ expand: false, maxDepth: 5 });
    expect(config.scoping.users.membershipGroups).toEqual([]);
  });

  it("reads graph.nestedGroups, and lists each group a membership clause names (id in lower case)", async () => {
    const config = await load(
      "  nestedGroups: { expand: true, maxDepth: 2 }",
      `scoping:
  users:
    - - { attribute: memberOf, operator: IS MEMBER OF, value: "${GROUP.toUpperCase()}", transitive: true }
    - - { attribute: department, operator: EQUALS, value: Sales }
      - { attribute: memberOf, operator: IS NOT MEMBER OF, value: "${GROUP}" }
`,
    );
    expect(config.graph.nestedGroups).toEqual({ expand: true, maxDepth: 2 });
    expect(config.scoping.users.membershipGroups).toEqual([
      { groupId: GROUP, transitive: true },
      { groupId: GROUP, transitive: false },
    ]);
    expect(config.scoping.users.attributes).toEqual(["department"]);
  });

  it.each([
    [
      "a maxDepth out of range",
      "  nestedGroups: { expand: true, maxDepth: 0 }",
      "",
      /config\.yaml:5:\d+: graph\.nestedGroups\.maxDepth: .*>=1/,
    ],
    [
      "an unknown key under nestedGroups",
      "  nestedGroups: { expand: true, depth: 3 }",
      "",
      /config\.yaml:5:\d+: graph\.nestedGroups: unknown key "depth" \(the keys here: expand, maxDepth\)/,
    ],
    [
      "an unknown operator",
      "",
      users(`{ attribute: memberOf, operator: MEMBER OF, value: "${GROUP}" }`),
      /config\.yaml:15:\d+: scoping\.users\.0\.0\.operator: .*IS MEMBER OF/,
    ],
    [
      "a malformed group id",
      "",
      users(`{ attribute: memberOf, operator: IS MEMBER OF, value: Sales team }`),
      /config\.yaml:15:\d+: scoping\.users\.0\.0\.value: .*group object id/,
    ],
    [
      "a membership operator on another attribute",
      "",
      users(`{ attribute: department, operator: IS MEMBER OF, value: "${GROUP}" }`),
      /scoping\.users\[0\]\[0\]: operator "IS MEMBER OF" applies to the attribute "memberOf" only/,
    ],
    [
      "memberOf with an attribute operator",
      "",
      users(`{ attribute: memberOf, operator: EQUALS, value: "${GROUP}" }`),
      /scoping\.users\[0\]\[0\]: "memberOf" is group membership: use it with the operator IS MEMBER OF/,
    ],
    [
      "transitive on an attribute clause",
      "",
      users(`{ attribute: department, operator: EQUALS, value: Sales, transitive: true }`),
      /scoping\.users\[0\]\[0\]: "transitive" applies only to/,
    ],
    [
      "a membership clause in scoping.groups",
      "",
      `scoping:\n  groups:\n    - - { attribute: memberOf, operator: IS MEMBER OF, value: "${GROUP}" }\n`,
      /scoping\.groups\[0\]\[0\]: operator "IS MEMBER OF" applies to users only/,
    ],
  ])("refuses %s, naming the file and key", async (_name, graphLine, rest, message) => {
    const error = await refusal(graphLine, rest);
    expect(error.message).toContain(join(dir, "config.yaml"));
    expect(error.message).toMatch(message);
  });
});
