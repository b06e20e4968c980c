import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { describe, expect, it } from "vitest";
import { createCredential, type GraphCredentialSettings } from "../../src/graph/index.js";

const tenantId = "00000000-0000-0000-0000-0000000000aa";
const clientId = "00000000-0000-0000-0000-0000000000bb";

describe("createCredential", () => {
  it.each([
    [{ kind: "clientSecret", tenantId, clientId, clientSecret: "s" }, ClientSecretCredential],
    [{ kind: "clientCertificate", tenantId, clientId, certificatePath: "/dev/null" }, ClientCertificateCredential],
    [
      { kind: "clientCertificate", tenantId, clientId, certificatePath: "/dev/null", certificatePassword: "p" },
      ClientCertificateCredential,
    ],
    [
      { kind: "workloadIdentity", tenantId, clientId, tokenFilePath: "/var/run/secrets/token" },
      WorkloadIdentityCredential,
    ],
    [{ kind: "managedIdentity" }, ManagedIdentityCredential],
    [{ kind: "managedIdentity", clientId }, ManagedIdentityCredential],
  ] as const satisfies readonly (readonly [GraphCredentialSettings, unknown])[])("builds %o", (settings, type) => {
    expect(createCredential(settings, { authorityHost: "https://login.microsoftonline.us" })).toBeInstanceOf(type);
  });
});
