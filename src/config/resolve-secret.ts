import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../model/index.js";
import { Secret } from "./secret.js";
import type { SecretRef } from "./schema.js";

/** Reads a secret from the environment or a file (Kubernetes mounts secrets as files). */
export async function resolveSecret(
  ref: SecretRef,
  where: string,
  configDir: string,
  env: NodeJS.ProcessEnv,
): Promise<Secret> {
  if ("env" in ref) {
    const value = env[ref.env];
    if (value === undefined || value === "") {
      throw new ConfigError("CONFIG_SECRET_MISSING", `${where}: environment variable ${ref.env} is not set`);
    }
    return new Secret(value);
  }
  const path = resolve(configDir, ref.file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
    throw new ConfigError("CONFIG_SECRET_UNREADABLE", `${where}: cannot read secret file ${path} (${reason})`);
  }
  // Files written by `echo` or editors end with a newline that is never part of a token.
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new ConfigError("CONFIG_SECRET_MISSING", `${where}: secret file ${path} is empty`);
  return new Secret(value);
}
