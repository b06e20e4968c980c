/**
 * Graph failures, classified once: what was read (the resource path, never a token or a query
 * with secrets), Graph's status and error code, and what it means for the cycle.
 */
import { ConfigError, FatalError, SyncError } from "../../model/index.js";

export type GraphFailureKind =
  | "throttled"
  | "transient"
  | "invalid"
  | "notFound"
  | "deltaExpired"
  | "unauthorized"
  | "fatal";

const CODES: Record<GraphFailureKind, string> = {
  throttled: "GRAPH_THROTTLED",
  transient: "GRAPH_TRANSIENT",
  invalid: "GRAPH_INVALID",
  notFound: "GRAPH_NOT_FOUND",
  deltaExpired: "GRAPH_DELTA_EXPIRED",
  unauthorized: "GRAPH_UNAUTHORIZED",
  fatal: "GRAPH_FATAL",
};

/** Delta tokens Graph no longer knows: start a new full round. */
const EXPIRED_DELTA_CODES = new Set(["syncstatenotfound", "resyncrequired", "syncstateinvalid"]);

/** A Graph read that still failed after retries: the cycle fails, nothing is deactivated. */
export class GraphReadError extends SyncError {
  readonly kind: GraphFailureKind;
  readonly resource: string;
  readonly status: number | null;
  readonly graphCode: string | null;

  constructor(
    details: {
      kind: GraphFailureKind;
      resource: string;
      status: number | null;
      graphCode: string | null;
      message: string;
    },
    options?: { cause?: unknown },
  ) {
    super(CODES[details.kind], details.message, options);
    this.kind = details.kind;
    this.resource = details.resource;
    this.status = details.status;
    this.graphCode = details.graphCode;
  }
}

/** The least-privilege application permission each resource needs. */
export function permissionFor(resource: string): string {
  if (resource.startsWith("/servicePrincipals")) return "Application.Read.All";
  if (resource.startsWith("/groups")) return "GroupMember.Read.All";
  if (resource.startsWith("/users")) return "User.Read.All";
  return "Application.Read.All, User.Read.All and GroupMember.Read.All";
}

/** The path part of a Graph URL or relative path, without host, version or query. */
export function resourceOf(url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0] ?? "";
  return path.replace(/^\/(v1\.0|beta)(?=\/)/, "") || "/";
}

export function classifyStatus(status: number | null, graphCode: string | null = null): GraphFailureKind {
  if (status === null) return "transient";
  if (status === 410 || EXPIRED_DELTA_CODES.has((graphCode ?? "").toLowerCase())) return "deltaExpired";
  if (status === 429) return "throttled";
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "notFound";
  if (status === 408 || status >= 500) return "transient";
  return "invalid";
}

/** 401/403 become FatalErrors naming the credential problem or the missing permission. */
export function toGraphError(
  resource: string,
  status: number | null,
  graphCode: string | null,
  message: string,
  cause?: unknown,
): SyncError {
  const where = `${resource}${status === null ? "" : ` (HTTP ${status}${graphCode ? ` ${graphCode}` : ""})`}`;
  if (status === 401) {
    return new FatalError(
      "GRAPH_UNAUTHORIZED",
      `Graph refused the access token reading ${where}: check the tenant id, client id and credential. ${message}`,
      { cause },
    );
  }
  if (status === 403) {
    return new FatalError(
      "GRAPH_FORBIDDEN",
      `Graph denied ${where}: grant the application permission ${permissionFor(resource)} (admin consent) to the agent's app registration. ${message}`,
      { cause },
    );
  }
  const kind = classifyStatus(status, graphCode);
  return new GraphReadError(
    { kind, resource, status, graphCode, message: `Graph read failed: ${where}: ${message}` },
    { cause },
  );
}

/**
 * The credential could not get a token. Entra refusing it (an AADSTS answer: wrong secret,
 * unknown certificate or client, missing federated identity) is GRAPH_CREDENTIAL_REFUSED;
 * anything else (authority unreachable, token file missing) is GRAPH_TOKEN_UNAVAILABLE.
 */
export function credentialError(error: unknown): FatalError {
  const message = error instanceof Error ? error.message : String(error);
  const aadsts = /AADSTS\d+:[^\n]*?(?= Trace ID:|$)/m.exec(message)?.[0];
  if (aadsts)
    return new FatalError("GRAPH_CREDENTIAL_REFUSED", `Entra refused the agent's credential: ${aadsts.trim()}`, {
      cause: error,
    });
  const firstLine = (message.split("\n")[0] ?? message).trim();
  // OpenSSL's words for a key it cannot decrypt or decode say nothing about where to look.
  if (/bad decrypt|DECODER routines|no start line|bad password/i.test(firstLine)) {
    return new FatalError(
      "GRAPH_TOKEN_UNAVAILABLE",
      `Could not get a Graph token: the client certificate's private key could not be read (${firstLine}); ` +
        "check graph.credential.certificatePath and graph.credential.certificatePassword",
      { cause: error },
    );
  }
  return new FatalError("GRAPH_TOKEN_UNAVAILABLE", `Could not get a Graph token: ${firstLine}`, { cause: error });
}

export function appNotFound(app: string): ConfigError {
  return new ConfigError(
    "GRAPH_APP_NOT_FOUND",
    `No service principal found for the Klaxoon app ${app} in this tenant: check app.appId / app.servicePrincipalId.`,
  );
}
