import type { AgentConfig } from "../config/index.js";
import type { GraphCredentialSettings } from "../graph/index.js";

/** The configured Graph credential, secrets revealed, as src/graph/ builds credentials from it. */
export function graphCredentialSettings(config: AgentConfig): GraphCredentialSettings {
  const { tenantId, clientId, credential } = config.graph;
  switch (credential.type) {
    case "clientSecret":
      return { kind: "clientSecret", tenantId, clientId, clientSecret: credential.clientSecret.reveal() };
    case "clientCertificate": {
      const password = credential.certificatePassword?.reveal();
      return {
        kind: "clientCertificate",
        tenantId,
        clientId,
        certificatePath: credential.certificatePath,
        ...(password === undefined ? {} : { certificatePassword: password }),
      };
    }
    case "workloadIdentity":
      return {
        kind: "workloadIdentity",
        tenantId,
        clientId,
        ...(credential.tokenFilePath === undefined ? {} : { tokenFilePath: credential.tokenFilePath }),
      };
    case "managedIdentity":
      return {
        kind: "managedIdentity",
        ...(credential.clientId === undefined ? {} : { clientId: credential.clientId }),
      };
  }
}
