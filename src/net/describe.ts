/**
 * A failed connection in words a person can act on: which endpoint, through which proxy (never
 * its credentials), which certificate problem, and which config key fixes it.
 */
import { proxyFor, type ConnectionSettings } from "./connection.js";

/** OpenSSL's verdicts on a certificate chain the agent does not trust. */
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const HOSTNAME = "ERR_TLS_CERT_ALTNAME_INVALID";

/** The TLS verdict of an error (or of one of its causes), if it is one. */
export function tlsProblemOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    const code = "code" in e && typeof e.code === "string" ? e.code : null;
    if (code !== null && (UNTRUSTED.has(code) || EXPIRED.has(code) || code === HOSTNAME)) return code;
    // undici wraps the tunnel's hostname error (SecureProxyConnectionError) without its code.
    if (/Hostname\/IP does not match certificate's altnames/.test(e.message)) return HOSTNAME;
  }
  return null;
}

function codeOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    if ("code" in e && typeof e.code === "string" && e.code.startsWith("E")) return e.code;
  }
  return null;
}

/**
 * Null when the error is not about the connection (so the caller keeps its own words): a
 * certificate the endpoint's trust refuses, or a proxy that refused or could not be reached.
 */
export function describeConnectionFailure(
  error: unknown,
  settings: ConnectionSettings,
  url: string,
): ConnectionFailure | null {
  const target = new URL(url);
  const proxy = proxyFor(settings, target);
  const via = proxy === null ? "" : ` through proxy ${proxy.url} (from ${proxy.from})`;
  const tls = tlsProblemOf(error);
  if (tls !== null)
    return { message: `${settings.name} TLS${via}: ${tlsAdvice(tls, settings, target.host)}`, permanent: true };
  if (proxy === null) return null;
  const refused = /Proxy response \((\d+)\) !== 200/.exec(messages(error))?.[1];
  if (refused !== undefined) {
    const check = proxy.from === "proxy.url" ? "proxy.credentials" : `the user and password in ${proxy.from}`;
    const auth = refused === "407" ? `: proxy authentication required or refused, check ${check}` : "";
    return {
      message: `${settings.name}: proxy ${proxy.url} (from ${proxy.from}) refused to open a tunnel to ${target.host} (HTTP ${refused}${auth})`,
      // A 5xx from the proxy may be its upstream failing for a moment.
      permanent: Number(refused) < 500,
    };
  }
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${settings.name}: cannot reach ${target.host}${via}: ${code ?? message}`, permanent: false };
}

export interface ConnectionFailure {
  readonly message: string;
  /** Retrying cannot help: an untrusted certificate, a proxy that refuses the tunnel. */
  readonly permanent: boolean;
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1)
    parts.push(e.message);
  return parts.join(" / ");
}

function tlsAdvice(code: string, settings: ConnectionSettings, host: string): string {
  if (code === HOSTNAME)
    return `the certificate of ${host} is not issued for that name (${code}, hostname mismatch): ${
      settings.urlKey === null ? "fix the URL" : `set ${settings.urlKey} to a name the certificate covers`
    }, or have the certificate reissued for ${host}`;
  if (EXPIRED.has(code))
    return `the certificate of ${host} is ${code === "CERT_HAS_EXPIRED" ? "expired" : "not yet valid"} (${code}): renew it on the server (no setting of the agent fixes this)`;
  const why =
    code === "DEPTH_ZERO_SELF_SIGNED_CERT"
      ? "is self-signed"
      : code === "SELF_SIGNED_CERT_IN_CHAIN"
        ? "chains to a CA that is not trusted"
        : "is issued by a CA that is not trusted";
  return `the certificate of ${host} ${why} (${code}): ${
    settings.caKey === null
      ? "add the CA to NODE_EXTRA_CA_CERTS"
      : `set ${settings.caKey} to the PEM file of the CA that issued it${settings.ca === null ? "" : " (the file set now does not hold it)"}`
  }`;
}
