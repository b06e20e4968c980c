import { resolve } from "node:path";
import { ConfigError } from "../model/index.js";
import { childSite, describeKeySite, readKeyFile, type KeySite } from "./path-keys.js";
import { Secret } from "./secret.js";
import type { SecretRef } from "./schema.js";

/**
 * Reads a secret from the environment or a file (Kubernetes mounts secrets as files). With
 * `read` false (`validate --no-secrets`) nothing is read and the Secret is empty.
 */
export async function resolveSecret(
  ref: SecretRef,
  site: KeySite,
  configDir: string,
  env: NodeJS.ProcessEnv,
  read = true,
): Promise<Secret> {
  if (!read) return new Secret("");
  if ("env" in ref) {
    const value = env[ref.env];
    if (value === undefined || value === "") {
      throw new ConfigError(
        "CONFIG_SECRET_MISSING",
        `${describeKeySite(childSite(site, "env"))}: environment variable ${ref.env} is not set (set it, or run validate --no-secrets to check the rest)`,
      );
    }
    return new Secret(value);
  }
  const fileSite = childSite(site, "file");
  const path = resolve(configDir, ref.file);
  const text = await readKeyFile(fileSite, path, "CONFIG_SECRET_UNREADABLE");
  // Files written by `echo` or editors end with a newline that is never part of a token.
  const value = text.replace(/\r?\n$/, "");
  if (value === "")
    throw new ConfigError("CONFIG_SECRET_MISSING", `${describeKeySite(fileSite)}: ${path}: the secret file is empty`);
  return new Secret(value);
}
