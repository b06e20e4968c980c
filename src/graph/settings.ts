/**
 * What the Graph adapter needs, as plain data, fully resolved: config/ owns every default and
 * the composition passes each value, so this module holds none. A credential is exactly one kind.
 */
import type { ConnectionSettings } from "../net/index.js";

export type GraphCredentialSettings =
  | {
      readonly kind: "clientSecret";
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | {
      readonly kind: "clientCertificate";
      readonly tenantId: string;
      readonly clientId: string;
      /** PEM file holding the certificate and its private key. */
      readonly certificatePath: string;
      readonly certificatePassword?: string;
    }
  | {
      /** AKS workload identity; unset fields come from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE. */
      readonly kind: "workloadIdentity";
      readonly tenantId?: string;
      readonly clientId?: string;
      readonly tokenFilePath?: string;
    }
  | { readonly kind: "managedIdentity"; readonly clientId?: string };

export interface GraphSettings {
  /** Graph root without version (e.g. https://graph.microsoft.com); the token scope is `<endpoint>/.default`. */
  readonly endpoint: string;
  /** Entra authority host (e.g. https://login.microsoftonline.com). */
  readonly authorityHost: string;
  /** `$top` for list calls (clamped to 1–999). */
  readonly pageSize: number;
  /** Retries after the first attempt, for every Graph call and $batch item. */
  readonly maxRetries: number;
  /** Back-off base and cap of the one retry policy (every Graph call, $batch items included). */
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Deadline for one HTTP attempt; a timed-out attempt is retried like a network error. */
  readonly requestTimeoutMs: number;
  /** `$batch` requests (or member listings) in flight at once. */
  readonly concurrency: number;
  /** From this many users to read by id, list every user and filter instead of batching. */
  readonly listAllUsersThreshold: number;
  /** Incremental reads: a full read at least this often, to catch what delta could miss. */
  readonly fullReadIntervalHours: number;
  /** Told of every HTTP answer (or network failure), for request metrics. */
  readonly onResponse?: (status: number | "error") => void;
  /** Sent on every request (Node's fetch would send `*`). */
  readonly acceptLanguage: string;
  /** `x-ms-throttle-priority`. */
  readonly throttlePriority: "Low" | "Normal" | "High";
  /** `graph.nestedGroups` (Entra does not expand them). */
  readonly nestedGroups: { readonly expand: boolean; readonly maxDepth: number };
  /** Groups the user scoping filters name with `IS MEMBER OF` / `IS NOT MEMBER OF`. */
  readonly membershipGroups: readonly MembershipGroup[];
  /** Proxy and private CA for the Graph endpoint (the token endpoint's are the credential's). */
  readonly connection: ConnectionSettings;
}

/** Authority hosts of Microsoft's clouds; for any other host MSAL must skip instance discovery. */
export const MICROSOFT_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
]);

export function graphScope(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/.default`;
}

/** A group a scoping clause names (`memberOf IS MEMBER OF <id>`): its members are read every cycle. */
export interface MembershipGroup {
  readonly groupId: string;
  /** Members of its nested groups count too (down to `nestedGroups.maxDepth` levels). */
  readonly transitive: boolean;
}

export interface MembershipSettings {
  /** Expand nested groups of the groups in scope (Entra does not: default off). */
  readonly expand: boolean;
  /** Levels of nesting followed below a group (expansion and transitive membership). */
  readonly maxDepth: number;
  readonly referenced: readonly MembershipGroup[];
}
