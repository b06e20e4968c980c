/**
 * The outbound proxy and the private CAs, resolved at load: the `proxy` key wins over
 * HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case, the lower-case one first, as curl reads them);
 * a proxy's user and password become a Secret and leave the URL; a CA file must hold PEM
 * certificates, or loading fails naming the file and the key.
 */
import { X509Certificate } from "node:crypto";
import { resolve } from "node:path";
import { ConfigError } from "../model/index.js";
import { childSite, describeKeySite, readKeyFile, type KeySite } from "./path-keys.js";
import { resolveSecret } from "./resolve-secret.js";
import type { ConfigInput } from "./schema.js";
import { Secret } from "./secret.js";

export interface ProxyServerConfig {
  /** `http://host:port`: no user or password, safe to print. */
  readonly url: string;
  /** `user:password`, or null. */
  readonly credentials: Secret | null;
  /** `proxy.url`, `HTTPS_PROXY`, `https_proxy`, … */
  readonly from: string;
}

export interface ProxyConfig {
  readonly https: ProxyServerConfig | null;
  readonly http: ProxyServerConfig | null;
  readonly noProxy: readonly string[];
}

export interface TlsConfig {
  readonly caFile: string;
  /** The file's PEM certificates. */
  readonly ca: string;
}

export async function resolveProxy(
  input: ConfigInput["proxy"],
  site: KeySite,
  dir: string,
  env: NodeJS.ProcessEnv,
  /** false (`validate --no-secrets`): the credentials are not read. */
  secrets = true,
): Promise<ProxyConfig | null> {
  if (input !== undefined) {
    const credentials =
      input.credentials === undefined
        ? null
        : await resolveSecret(input.credentials, childSite(site, "credentials"), dir, env, secrets);
    if (secrets && credentials !== null && !credentials.reveal().includes(":"))
      throw new ConfigError(
        "CONFIG_INVALID",
        `${describeKeySite(childSite(site, "credentials"))}: the proxy credentials must read user:password`,
      );
    const server: ProxyServerConfig = { url: new URL(input.url).origin, credentials, from: "proxy.url" };
    return { https: server, http: server, noProxy: input.noProxy };
  }
  const https = fromEnv(env, "https_proxy", "HTTPS_PROXY");
  const http = fromEnv(env, "http_proxy", "HTTP_PROXY");
  if (https === null && http === null) return null;
  const noProxy = (nonEmpty(env["no_proxy"]) ?? nonEmpty(env["NO_PROXY"]) ?? "")
    .split(/[,\s]+/)
    .filter((entry) => entry !== "");
  return { https, http, noProxy };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function fromEnv(env: NodeJS.ProcessEnv, lower: string, upper: string): ProxyServerConfig | null {
  const name = nonEmpty(env[lower]) === undefined ? upper : lower;
  const value = nonEmpty(env[name]);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ConfigError(
      "CONFIG_INVALID",
      `environment variable ${name}: not a proxy URL (expected http://host:port)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(
      "CONFIG_INVALID",
      `environment variable ${name}: proxy scheme ${url.protocol} is not supported (http:// or https://)`,
    );
  const credentials =
    url.username === "" ? null : new Secret(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
  return { url: url.origin, credentials, from: name };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Reads and checks a `tls.caFile`: at least one PEM certificate, each one parseable. */
export async function resolveTls(
  input: { readonly caFile: string } | undefined,
  site: KeySite,
  dir: string,
): Promise<TlsConfig | null> {
  if (input === undefined) return null;
  const fileSite = childSite(site, "caFile");
  const path = resolve(dir, input.caFile);
  const text = await readKeyFile(fileSite, path);
  const blocks = text.match(PEM_BLOCK) ?? [];
  const invalid = (why: string) =>
    new ConfigError("CONFIG_TLS_CA_INVALID", `${describeKeySite(fileSite)}: ${path}: ${why}`);
  if (blocks.length === 0)
    throw invalid(
      "not a PEM certificate file (no -----BEGIN CERTIFICATE----- block; a DER file converts with `openssl x509 -inform der -in ca.cer -out ca.pem`)",
    );
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw invalid(
        `certificate ${index + 1} of ${blocks.length} cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  return { caFile: path, ca: blocks.join("\n") };
}
