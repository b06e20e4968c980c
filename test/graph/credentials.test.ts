import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "../../src/graph/index.js";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import { FatalError } from "../../src/model/index.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { assignedRequest, secretCredential, settingsFor } from "./support/graph-world.js";

describe("credentials against the emulated token endpoint", () => {
  let emu: GraphEmulator;
  beforeAll(async () => {
    emu = await startGraphEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it("a client secret credential obtains a token the emulated Graph accepts", async () => {
    const credential = secretCredential(emu);
    const token = await credential.getToken(`${emu.url}/.default`);
    expect(token?.token).toMatch(/^emu\./);
    expect(token?.expiresOnTimestamp).toBeGreaterThan(Date.now());
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), credential).readSnapshot(assignedRequest(emu));
    expect(snapshot.servicePrincipal.id).toBe(emu.servicePrincipalId);
  });

  it("a client certificate credential signs an assertion the emulator verifies", async () => {
    const certificate = await emu.createClientCertificate();
    const credential = createCredential(
      {
        kind: "clientCertificate",
        tenantId: emu.tenantId,
        clientId: emu.clientId,
        certificatePath: certificate.certificatePath,
      },
      { authorityHost: emu.authorityHost },
    );
    const token = await credential.getToken(`${emu.url}/.default`);
    expect(token?.token).toMatch(/^emu\./);
  });

  it("a certificate not registered for the app is refused", async () => {
    const other = await startGraphEmulator({ tenant: undefined });
    try {
      const certificate = await other.createClientCertificate();
      const credential = createCredential(
        {
          kind: "clientCertificate",
          tenantId: emu.tenantId,
          clientId: emu.clientId,
          certificatePath: certificate.certificatePath,
        },
        { authorityHost: emu.authorityHost },
      );
      await expect(credential.getToken(`${emu.url}/.default`)).rejects.toThrow(/AADSTS700027/);
    } finally {
      await other.close();
    }
  });

  it("a workload identity credential exchanges a federated token file", async () => {
    const tokenFilePath = emu.createFederatedTokenFile();
    expect(readFileSync(tokenFilePath, "utf8").split(".")).toHaveLength(3);
    const credential = createCredential(
      { kind: "workloadIdentity", tenantId: emu.tenantId, clientId: emu.clientId, tokenFilePath },
      { authorityHost: emu.authorityHost },
    );
    const token = await credential.getToken(`${emu.url}/.default`);
    expect(token?.token).toMatch(/^emu\./);
  });

  it("a wrong client secret fails the read with a FatalError naming the AADSTS error, not the secret", async () => {
    const reader = createGraphDirectoryReader(settingsFor(emu), secretCredential(emu, "not-the-secret"));
    const error: unknown = await reader.readSnapshot(assignedRequest(emu)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect(error).toMatchObject({ code: "GRAPH_CREDENTIAL_REFUSED" });
    expect(String((error as Error).message)).toMatch(
      /^Entra refused the agent's credential: AADSTS7000215: Invalid client secret/,
    );
    expect(String((error as Error).message)).toMatch(/AADSTS7000215/);
    expect(String((error as Error).message)).not.toContain("not-the-secret");
  });

  it("an unknown client id fails with a FatalError", async () => {
    const credential = createCredential(
      {
        kind: "clientSecret",
        tenantId: emu.tenantId,
        clientId: "11111111-2222-3333-4444-555555555555",
        clientSecret: emu.clientSecret,
      },
      { authorityHost: emu.authorityHost },
    );
    const error: unknown = await createGraphDirectoryReader(settingsFor(emu), credential)
      .readSnapshot(assignedRequest(emu))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect(String((error as Error).message)).toMatch(/AADSTS700016/);
  });

  it("an unreachable authority fails with GRAPH_TOKEN_UNAVAILABLE", async () => {
    const credential = createCredential(
      { kind: "clientSecret", tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret },
      { authorityHost: "https://127.0.0.1:1" },
    );
    const error: unknown = await createGraphDirectoryReader(settingsFor(emu), credential)
      .readSnapshot(assignedRequest(emu))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "FatalError", code: "GRAPH_TOKEN_UNAVAILABLE" });
  });

  it("Graph requests carry Accept-Language and x-ms-throttle-priority: Low", async () => {
    emu.requestLog.clear();
    await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(assignedRequest(emu));
    const graph = emu.requestLog.graphRequests();
    expect(graph.length).toBeGreaterThan(0);
    for (const entry of graph)
      expect(entry.headers).toMatchObject({ "accept-language": "en-US", "x-ms-throttle-priority": "Low" });
  });

  it("Graph rejects requests without a bearer token with Graph's 401 body", async () => {
    const response = await fetch(`${emu.url}/v1.0/users`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });
});
