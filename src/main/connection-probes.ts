/**
 * The real probes behind `test-connection`, built from the config and the real adapters.
 * Graph: a token from the configured credential, then the configured app's service principal.
 * Klaxoon: Entra's own test, a lookup by a random userName that must find nobody.
 * Both use the settings a cycle uses (adapter-settings.ts). The adapters load lazily, and every
 * reason has the secrets cut out.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { AgentConfig } from "../config/index.js";
import type { GraphApi } from "../graph/index.js";
import { graphCredentialSettings } from "./graph-credential.js";
import type { Logger } from "../log/index.js";
import type { Clock, TargetUser } from "../model/index.js";
import type { ConnectionProbes, ProbeResult } from "../cli/index.js";
import { connectionVerdict, type ReadResult } from "../scim/index.js";
import { graphSettingsFor, scimSettingsFor, tokenConnection } from "./adapter-settings.js";

const servicePrincipal = z.object({ id: z.string(), appId: z.string(), displayName: z.string().nullish() });
const servicePrincipalPage = z.object({ value: z.array(z.unknown()) });

export function buildConnectionProbes(config: AgentConfig, logger: Logger, clock: Clock): ConnectionProbes {
  const log = logger.child({ component: "test-connection" });
  const redact = redactor(secretsOf(config));
  return {
    checkGraph: async () => redact(await checkGraph(config, log, clock)),
    checkKlaxoon: async () => redact(await checkKlaxoon(config, log, clock)),
  };
}

async function checkGraph(config: AgentConfig, logger: Logger, clock: Clock): Promise<ProbeResult> {
  const { createCredential, createGraphClient, GraphApi } = await import("../graph/index.js");
  const endpoint = config.graph.endpoint.replace(/\/+$/, "");
  const credential = createCredential(graphCredentialSettings(config), {
    authorityHost: config.graph.authorityHost,
    connection: tokenConnection(config),
  });
  try {
    await credential.getToken(`${endpoint}/.default`);
  } catch (error) {
    return {
      ok: false,
      reason: `no token with the configured ${config.graph.credential.type} credential: ${describeCredentialError(error)}`,
    };
  }
  const api = new GraphApi(createGraphClient(graphSettingsFor(config), credential, logger, clock));
  try {
    const app = config.app;
    const found =
      app.servicePrincipalId !== undefined
        ? await api.get(
            `/servicePrincipals/${encodeURIComponent(app.servicePrincipalId)}?$select=id,appId,displayName`,
            servicePrincipal,
          )
        : await findByAppId(api, app.appId ?? "");
    if (found === null)
      return {
        ok: false,
        reason: `token OK, but no service principal for app ${app.appId ?? ""} in this tenant: check app.appId`,
      };
    return { ok: true, detail: `token OK; service principal "${found.displayName ?? ""}" (${found.id}) read` };
  } catch (error) {
    return { ok: false, reason: `token OK, but ${error instanceof Error ? error.message : String(error)}` };
  }
}

type ServicePrincipal = z.infer<typeof servicePrincipal>;

async function findByAppId(api: GraphApi, appId: string): Promise<ServicePrincipal | null> {
  const filter = encodeURIComponent(`appId eq '${appId.replaceAll("'", "''")}'`);
  const page = await api.get(`/servicePrincipals?$filter=${filter}&$select=id,appId,displayName`, servicePrincipalPage);
  for (const item of page.value) {
    const parsed = servicePrincipal.safeParse(item);
    if (parsed.success && parsed.data.appId === appId) return parsed.data;
  }
  return null;
}

async function checkKlaxoon(config: AgentConfig, logger: Logger, clock: Clock): Promise<ProbeResult> {
  const { createScimClient } = await import("../scim/index.js");
  const client = createScimClient(scimSettingsFor(config), { clock, logger });
  try {
    return klaxoonVerdict(await client.findUserByUserName(randomUUID()));
  } finally {
    await client.close();
  }
}

/** Entra's rules: 200 + empty list passes; 401/403 is the token; 404 is a Tenant URL that is not SCIM. */
export function klaxoonVerdict(outcome: ReadResult<TargetUser | null>): ProbeResult {
  const verdict = connectionVerdict(outcome);
  return verdict.ok ? verdict : { ok: false, reason: verdict.reason };
}

/** Entra's AADSTS line when there is one (wrong secret, unknown client…), else the first line. */
function describeCredentialError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const aadsts = /AADSTS\d+:[^\n]*?(?= Trace ID:|$)/m.exec(message)?.[0];
  return (aadsts ?? message.split("\n")[0] ?? message).trim().slice(0, 500);
}

function secretsOf(config: AgentConfig): string[] {
  const credential = config.graph.credential;
  const graphSecret =
    credential.type === "clientSecret"
      ? credential.clientSecret.reveal()
      : credential.type === "clientCertificate"
        ? credential.certificatePassword?.reveal()
        : undefined;
  return [config.klaxoon.secretToken.reveal(), graphSecret].filter(
    (s): s is string => s !== undefined && s.length >= 4,
  );
}

/** A server or library that echoes a secret back never gets it printed. */
function redactor(secrets: readonly string[]): (result: ProbeResult) => ProbeResult {
  const cut = (text: string): string => secrets.reduce((out, secret) => out.replaceAll(secret, "[redacted]"), text);
  return (result) => (result.ok ? { ok: true, detail: cut(result.detail) } : { ok: false, reason: cut(result.reason) });
}
