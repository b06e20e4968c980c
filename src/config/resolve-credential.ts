import { resolve } from "node:path";
import { checkReadableKeyFile, childSite, type KeySite } from "./path-keys.js";
import { resolveSecret } from "./resolve-secret.js";
import type { ConfigInput } from "./schema.js";
import type { Secret } from "./secret.js";

export type GraphCredentialConfig =
  | { readonly type: "clientSecret"; readonly clientSecret: Secret }
  | {
      readonly type: "clientCertificate";
      readonly certificatePath: string;
      readonly certificatePassword: Secret | undefined;
    }
  | { readonly type: "workloadIdentity"; readonly tokenFilePath: string | undefined }
  | { readonly type: "managedIdentity"; readonly clientId: string | undefined };

/**
 * Secrets resolved now; the certificate and token files are read by @azure/identity at the
 * first token request, so they are only checked here, where a bad path can still name its key.
 */
export async function resolveCredential(
  credential: ConfigInput["graph"]["credential"],
  site: KeySite,
  dir: string,
  env: NodeJS.ProcessEnv,
  /** false (`validate --no-secrets`): secrets, the certificate and the token file are not read. */
  secrets = true,
): Promise<GraphCredentialConfig> {
  const readable = (key: string, path: string): Promise<string> =>
    secrets ? checkReadableKeyFile(childSite(site, key), resolve(dir, path)) : Promise.resolve(resolve(dir, path));
  switch (credential.type) {
    case "clientSecret":
      return {
        type: "clientSecret",
        clientSecret: await resolveSecret(credential.clientSecret, childSite(site, "clientSecret"), dir, env, secrets),
      };
    case "clientCertificate":
      return {
        type: "clientCertificate",
        certificatePath: await readable("certificatePath", credential.certificatePath),
        certificatePassword: credential.certificatePassword
          ? await resolveSecret(
              credential.certificatePassword,
              childSite(site, "certificatePassword"),
              dir,
              env,
              secrets,
            )
          : undefined,
      };
    case "workloadIdentity":
      return {
        type: "workloadIdentity",
        // Relative to the config file, as every path in it is (config.example.yaml says so), not to the working directory.
        tokenFilePath:
          credential.tokenFilePath === undefined
            ? undefined
            : await readable("tokenFilePath", credential.tokenFilePath),
      };
    case "managedIdentity":
      return { type: "managedIdentity", clientId: credential.clientId };
  }
}
