/** One @azure/identity credential per configured kind, pointed at the configured authority. */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from "@azure/identity";
import { sharedDispatcher, type ConnectionSettings } from "../../net/index.js";
import { MICROSOFT_AUTHORITY_HOSTS, type GraphCredentialSettings } from "../settings.js";
import { createTokenHttpClient } from "./token-http-client.js";

export interface CredentialOptions {
  /** Entra authority host (`graph.authorityHost`). */
  readonly authorityHost: string;
  /**
   * Proxy and private CA for the token requests (the agent passes them always); without it the
   * Azure SDK's own HTTP client connects (tests of the credential kinds).
   */
  readonly connection?: ConnectionSettings;
}

export function createCredential(settings: GraphCredentialSettings, options: CredentialOptions): TokenCredential {
  const authorityHost = options.authorityHost.replace(/\/+$/, "");
  const httpClient =
    options.connection === undefined
      ? null
      : createTokenHttpClient(sharedDispatcher(options.connection), options.connection);
  // MSAL validates an authority against Microsoft's discovery endpoint unless told not to;
  // a sovereign or local (test) authority is not in that list.
  const common = {
    authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname),
    ...(httpClient === null ? {} : { httpClient }),
  };
  const credential = createKind(settings, common);
  if (httpClient === null) return credential;
  // MSAL words a failed request as `endpoints_resolution_error`; say which connection failed and why.
  return {
    async getToken(scopes, getTokenOptions) {
      httpClient.takeFailure();
      try {
        return await credential.getToken(scopes, getTokenOptions);
      } catch (error) {
        const failure = httpClient.takeFailure();
        if (failure === null) throw error;
        throw new Error(failure.message, { cause: error });
      }
    },
  };
}

function createKind(
  settings: GraphCredentialSettings,
  common: {
    authorityHost: string;
    disableInstanceDiscovery: boolean;
    httpClient?: TokenCredentialOptions["httpClient"];
  },
): TokenCredential {
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
        ? new ManagedIdentityCredential(common.httpClient === undefined ? {} : { httpClient: common.httpClient })
        : new ManagedIdentityCredential({
            clientId: settings.clientId,
            ...(common.httpClient === undefined ? {} : { httpClient: common.httpClient }),
          });
  }
}
