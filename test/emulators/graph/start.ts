/**
 * Standalone Graph emulator: `tsx test/emulators/graph/start.ts [--users N] [--seed S] [--page-size P]
 * [--soft-delete-membership reported|silent] [--soft-deleted-user-delta idOnly|withProperties]`.
 * Prints one JSON line (url, authorityHost, tenantId, clientId, clientSecret, appId,
 * servicePrincipalId, caCertPath) and serves until SIGINT/SIGTERM. Clients trust the CA with
 * NODE_EXTRA_CA_CERTS=<caCertPath>; `POST /_admin/{operation}` mutates the tenant.
 */
import { parseArgs } from "node:util";
import { generateTenant } from "../../fixtures/tenant.js";
import { parseSoftDeleteMembership, parseSoftDeletedUserDelta } from "./settings.js";
import { startGraphEmulator } from "./start-graph-emulator.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "50" },
    seed: { type: "string", default: "1" },
    "page-size": { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "soft-delete-membership": { type: "string" },
    "soft-deleted-user-delta": { type: "string" },
  },
});

const emulator = await startGraphEmulator({
  tenant: generateTenant({ seed: Number(values.seed), users: Number(values.users) }),
  maxPageSize: values["page-size"] === undefined ? undefined : Number(values["page-size"]),
  clientId: values["client-id"],
  clientSecret: values["client-secret"],
  softDeleteMembership:
    values["soft-delete-membership"] === undefined
      ? undefined
      : parseSoftDeleteMembership(values["soft-delete-membership"]),
  softDeletedUserDelta:
    values["soft-deleted-user-delta"] === undefined
      ? undefined
      : parseSoftDeletedUserDelta(values["soft-deleted-user-delta"]),
  httpAdmin: true,
  checkTrust: false,
});
const { url, authorityHost, tenantId, clientId, clientSecret, appId, servicePrincipalId, caCertPath } = emulator;
process.stdout.write(
  `${JSON.stringify({ url, authorityHost, tenantId, clientId, clientSecret, appId, servicePrincipalId, caCertPath })}\n`,
);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
