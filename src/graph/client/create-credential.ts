/** One @azure/identity credential per configured kind, pointed at the configured authority. */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { MICROSOFT_AUTHORITY_HOSTS, type GraphCredentialSettings } from "../settings.js";

export interface CredentialOptions {
  /** Entra authority host (`graph.authorityHost`). */
  readonly authorityHost: string;
}

export function createCredential(settings: GraphCredentialSettings, options: CredentialOptions): TokenCredential {
  const authorityHost = options.authorityHost.replace(/\/+$/, "");
  // MSAL validates an authority against Microsoft's discovery endpoint unless told not to;
  // a sovereign or local (test) authority is not in that list.
  const common = {
    authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname),
  };
  switch (settings.kind) {
    case "clientSecret":
      return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, common);
    case "clientCertificate":
      return new ClientCertificateCredential(
        settings.tenantId,
        settings.clientId,
        settings.certificatePassword === undefined
          ? { certificatePath: settings.certificatePath }
          : { certificatePath: settings.certificatePath, certificatePassword: settings.certificatePassword },
        common,
      );
    case "workloadIdentity":
      return new WorkloadIdentityCredential({
        ...common,
        ...(settings.tenantId === undefined ? {} : { tenantId: settings.tenantId }),
        ...(settings.clientId === undefined ? {} : { clientId: settings.clientId }),
        ...(settings.tokenFilePath === undefined ? {} : { tokenFilePath: settings.tokenFilePath }),
      });
    case "managedIdentity":
      return settings.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential({ clientId: settings.clientId });
  }
}
