/**
 * The configuration file's schema. Tagged variants make invalid combinations impossible to
 * write: a credential is exactly one kind, a secret is exactly one source (never inline, so a
 * config file can be committed and shared without leaking anything).
 */
import { z } from "zod";
import { daemonSchema } from "./daemon-schema.js";
import { isHttpsOrLoopbackUrl } from "../model/index.js";
import { MEMBERSHIP_OPERATORS, SCOPING_OPERATORS } from "../scope/index.js";
import { GRAPH_DEFAULTS, KLAXOON_DEFAULTS, METRICS_DEFAULTS } from "./defaults.js";

const secretRef = z.union([
  z.strictObject({ env: z.string().min(1).describe("name of an environment variable") }),
  z.strictObject({ file: z.string().min(1).describe("path of a file holding the secret") }),
]);
export type SecretRef = z.infer<typeof secretRef>;

/** Entra's ids (tenant, app, client, service principal): the portal shows each as a GUID. */
const guid = (what: string) =>
  z
    .string()
    .regex(
      /^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/,
      `expected a GUID such as 00000000-0000-0000-0000-000000000000 (${what})`,
    );

const httpsOrLoopbackUrl = z.url({ protocol: /^https?$/ }).refine(isHttpsOrLoopbackUrl, {
  message: "must be https:// (plain http:// is accepted only for loopback addresses)",
});

/** `graph.tls`, `klaxoon.tls`: a private CA for that endpoint's connections (PEM, one or many certificates). */
const tls = z.strictObject({ caFile: z.string().min(1).describe("PEM file of the CA certificates to trust") });

/**
 * The outbound proxy for every connection (token requests, Graph, SCIM, webhook); set, it wins
 * over HTTPS_PROXY/HTTP_PROXY/NO_PROXY. Its user and password are a secret, never in the URL.
 */
const proxy = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).refine((url) => new URL(url).username === "" && new URL(url).password === "", {
    message: "put the proxy's user and password in proxy.credentials (a secret: env or file), not in the URL",
  }),
  /** `user:password` for the proxy's Basic authentication. */
  credentials: secretRef.optional(),
  /** Hosts reached directly: `host` (and its subdomains), `.domain`, `host:port`, or `*`. */
  noProxy: z.array(z.string().min(1)).default([]),
});

const credential = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("clientSecret"), clientSecret: secretRef }),
  z.strictObject({
    type: z.literal("clientCertificate"),
    certificatePath: z.string().min(1),
    certificatePassword: secretRef.optional(),
  }),
  z.strictObject({ type: z.literal("workloadIdentity"), tokenFilePath: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal("managedIdentity"),
    clientId: guid("the user-assigned managed identity's Client ID").optional(),
  }),
]);

const graph = z.strictObject({
  tenantId: guid("the Directory (tenant) ID on the app registration's Overview page"),
  clientId: guid("the Application (client) ID of the agent's app registration"),
  credential,
  endpoint: httpsOrLoopbackUrl.default(GRAPH_DEFAULTS.endpoint),
  authorityHost: httpsOrLoopbackUrl.default(GRAPH_DEFAULTS.authorityHost),
  /** Cycles read only Graph's changes (delta queries); a full read at least this often catches what delta could miss. */
  fullReadIntervalHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(GRAPH_DEFAULTS.fullReadIntervalHours),
  /**
   * Members of nested groups count as members of the assigned group (our extension; Entra
   * provisions direct members only, hence off by default). Cycles end; deeper groups are left out.
   */
  nestedGroups: z
    .strictObject({
      expand: z.boolean().default(GRAPH_DEFAULTS.nestedGroupsExpand),
      maxDepth: z.number().int().min(1).max(20).default(GRAPH_DEFAULTS.nestedGroupsMaxDepth),
    })
    .prefault({}),
  /** Deadline for one Graph HTTP attempt; a timed-out attempt is retried like a network error. */
  requestTimeoutSeconds: z.number().positive().max(600).default(GRAPH_DEFAULTS.requestTimeoutSeconds),
  /** Retries after the first attempt of a Graph call (throttling, 5xx, timeouts, network errors). */
  maxRetries: z.number().int().min(0).max(10).default(GRAPH_DEFAULTS.maxRetries),
  /** A private CA for Graph and the token endpoint (authorityHost). */
  tls: tls.optional(),
});

const app = z
  .strictObject({
    appId: guid("the Application ID of the Klaxoon enterprise app").optional(),
    servicePrincipalId: guid("the Object ID of the Klaxoon enterprise app").optional(),
    scope: z.enum(["assigned", "all"]).default("assigned"),
  })
  .refine((a) => (a.appId === undefined) !== (a.servicePrincipalId === undefined), {
    message: "set exactly one of appId or servicePrincipalId",
  });

const klaxoon = z.strictObject({
  tenantUrl: httpsOrLoopbackUrl,
  secretToken: secretRef,
  requestsPerSecond: z
    .union([z.number().positive().max(1000), z.literal("unlimited")], {
      error: 'expected a number of requests a second (at most 1000), or "unlimited" (no client-side limit)',
    })
    .default(KLAXOON_DEFAULTS.requestsPerSecond),
  concurrency: z.number().int().min(1).max(64).default(KLAXOON_DEFAULTS.concurrency),
  timeoutSeconds: z.number().positive().max(600).default(KLAXOON_DEFAULTS.timeoutSeconds),
  patchDialect: z.enum(["rfc", "entra-legacy"]).default(KLAXOON_DEFAULTS.patchDialect),
  extensionInSchemas: z.boolean().default(KLAXOON_DEFAULTS.extensionInSchemas),
  memberChunkSize: z.number().int().min(1).max(1000).default(KLAXOON_DEFAULTS.memberChunkSize),
  /** A private CA for the Tenant URL's connections. */
  tls: tls.optional(),
});

const scopingClause = z
  .strictObject({
    attribute: z.string().min(1),
    operator: z.enum([...SCOPING_OPERATORS, ...MEMBERSHIP_OPERATORS]),
    value: z.string().optional(),
    /** `IS MEMBER OF` / `IS NOT MEMBER OF` only: members of nested groups count too. */
    transitive: z.boolean().optional(),
  })
  .superRefine((clause, ctx) => {
    // Checked here too (scope/ checks again) so the error carries the YAML line.
    if (
      (MEMBERSHIP_OPERATORS as readonly string[]).includes(clause.operator) &&
      !/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(clause.value ?? "")
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `"${clause.operator}" needs a group object id (a GUID such as 00000000-0000-0000-0000-000000000000)`,
      });
    }
  });

const scoping = z.strictObject({
  users: z.array(z.array(scopingClause).min(1)).default([]),
  groups: z.array(z.array(scopingClause).min(1)).default([]),
  skipOutOfScopeDeletions: z.boolean().default(false),
});

const attributeMapping = z
  .strictObject({
    target: z.string().min(1),
    direct: z.string().min(1).optional(),
    constant: z.string().optional(),
    expression: z.string().min(1).optional(),
    default: z.string().optional(),
    apply: z.enum(["always", "onCreate"]).default("always"),
    matchingPrecedence: z.number().int().min(1).optional(),
    /** When the source becomes null or empty: clear the Klaxoon attribute (true) or leave it as it is (false, Entra's way). */
    clearWhenEmpty: z.boolean().default(true),
    /** The target refuses an object without it (one mapping to null is not created). Not defaulted: same digests. */
    required: z.boolean().optional(),
  })
  .refine((m) => [m.direct, m.constant, m.expression].filter((v) => v !== undefined).length === 1, {
    message: "set exactly one of direct, constant or expression",
  });
export type AttributeMappingInput = z.infer<typeof attributeMapping>;

export const mappingsSchema = z.strictObject({
  users: z.array(attributeMapping).min(1),
  groups: z.array(attributeMapping).default([]),
  /** Whether group member lists are provisioned (Entra's `members` mapping). */
  groupMembers: z.boolean().default(true),
});
export type MappingsInput = z.infer<typeof mappingsSchema>;

/** One path segment of a Pushgateway URL: not empty, no `/` (Pushgateway would need its base64 form). */
const pushPathSegment = z
  .string()
  .min(1)
  .regex(/^[^/]+$/, "must not contain '/'");

const hasCredentials = (value: string): boolean =>
  URL.canParse(value) && (new URL(value).username !== "" || new URL(value).password !== "");

const pushgatewayUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => isHttpsOrLoopbackUrl(value) || !hasCredentials(value), {
    message: "credentials in a Pushgateway URL need https:// (or a loopback address)",
  });

/**
 * `metrics.pushgateway`: after each `sync` (not a dry run, not on demand), the same metrics as
 * the daemon's `/metrics` are pushed to a Prometheus Pushgateway, for runs that end before
 * anything could scrape them (a CronJob). Plain http:// is accepted: a Pushgateway usually sits
 * inside the cluster; credentials in the URL (basic auth) need https://.
 */
const pushgateway = z.strictObject({
  url: pushgatewayUrl,
  /** The `job` label: the path's `/metrics/job/<job>`. */
  job: pushPathSegment.default(METRICS_DEFAULTS.pushgatewayJob),
  /** More grouping labels, in the path after the job: `/<label>/<value>`, in this order. */
  groupingLabels: z
    .record(z.string(), pushPathSegment)
    .superRefine((labels, ctx) => {
      for (const name of Object.keys(labels)) {
        const problem = !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)
          ? "is not a label name (letters, digits and _, not starting with a digit)"
          : name === "job" || name.startsWith("__")
            ? "is reserved (the job is `job`; `__…` names are Prometheus's)"
            : null;
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: `"${name}" ${problem}` });
      }
    })
    .default({}),
  timeoutSeconds: z.number().positive().max(120).default(METRICS_DEFAULTS.pushgatewayTimeoutSeconds),
});

/** Klaxoon accounts never deactivated, modified or removed from a group (scope/compile-protection.ts). */
const protect = z.strictObject({
  userNames: z.array(z.string().min(1)).default([]),
  klaxoonIds: z.array(z.string().min(1)).default([]),
  /** Scoping-style filters over the account's SCIM attributes, as Klaxoon holds them. */
  where: z.array(z.array(scopingClause).min(1)).default([]),
});

const guard = z.strictObject({
  maxDeactivations: z.number().int().min(0).default(500),
  maxDeactivationPercent: z.number().min(0).max(100).optional(),
});

export type PushgatewaySettings = z.infer<typeof pushgateway>;

export const configSchema = z.strictObject({
  graph,
  app,
  klaxoon,
  scoping: scoping.default({ users: [], groups: [], skipOutOfScopeDeletions: false }),
  /** A path to a mappings file (relative to this file), or the mappings inline. */
  mappings: z.union([z.string().min(1), mappingsSchema]).default("klaxoon.mappings.yaml"),
  state: z.strictObject({ path: z.string().min(1) }),
  deletionGuard: guard.default({ maxDeactivations: 500 }),
  protect: protect.default({ userNames: [], klaxoonIds: [], where: [] }),
  /** `apply plan.json`: a plan older than this is refused (it is also refused when anything it touches changed). */
  reviewedPlans: z
    .strictObject({ maxAgeMinutes: z.number().int().positive().default(1440) })
    .default({ maxAgeMinutes: 1440 }),
  log: z
    .strictObject({ level: z.enum(["trace", "debug", "info", "warn", "error"]).default("info") })
    .default({ level: "info" }),
  /** The long-running mode (`run`): interval or cron, quarantine, webhook, health and metrics. */
  daemon: daemonSchema.prefault({}),
  /** Metrics of one-shot runs (the daemon's are on its `/metrics`): an optional Pushgateway push. */
  metrics: z.strictObject({ pushgateway: pushgateway.optional() }).default({}),
  /** Per-object provisioning records also go to this JSONL file (relative to this file). */
  provisioningLog: z.strictObject({ file: z.string().min(1).optional() }).default({}),
  proxy: proxy.optional(),
});
export type ConfigInput = z.infer<typeof configSchema>;
