/**
 * `npm run emulators`: both emulators with a seeded demo tenant and a ready config, for trying
 * the agent by hand. Prints the config path, the environment the agent needs and the commands,
 * as the README writes them (`npx entra-klaxoon-sync …`: the package's own executable, which
 * `npm run emulators` builds first), then serves until Ctrl-C. Tenant changes:
 * `POST <graph url>/_admin/{operation}` (see graph/README.md).
 */
import { parseArgs } from "node:util";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment } from "../support/agent-environment.js";

const { values } = parseArgs({
  options: { users: { type: "string", default: "400" }, seed: { type: "string", default: "42" } },
});
const env = await startAgentEnvironment({
  graph: {
    tenant: generateTenant({ seed: Number(values.seed), users: Number(values.users) }),
    httpAdmin: true,
    checkTrust: false,
  },
});
process.stdout.write(
  [
    `Graph emulator:   ${env.graph.url} (token endpoint ${env.graph.authorityHost})`,
    `Klaxoon emulator: ${env.klaxoon.url}`,
    `Config:           ${env.configPath}`,
    "",
    "In another shell:",
    `  export GRAPH_CLIENT_SECRET='${env.graph.clientSecret}' NODE_EXTRA_CA_CERTS='${env.graph.caCertPath}'`,
    `  npx entra-klaxoon-sync validate --config ${env.configPath}`,
    `  npx entra-klaxoon-sync sync --dry-run --config ${env.configPath}`,
    `  npx entra-klaxoon-sync sync --config ${env.configPath}`,
    `  npx entra-klaxoon-sync sync --user <UPN> --config ${env.configPath}`,
    "",
    "Ctrl-C stops both emulators.",
    "",
  ].join("\n"),
);
const stop = (): void => void env.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
