import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { compileMappings, type CompiledMappingSet } from "../mapping/index.js";
import { type AccountProtection, ConfigError } from "../model/index.js";
import { compileProtection, compileScope, type CompiledScope } from "../scope/index.js";
import { checkWritableKeyPath, keySite, readKeyFile, type KeySite } from "./path-keys.js";
import { parseYaml, readYamlFile, validateYaml } from "./read-yaml.js";
import { resolveCredential, type GraphCredentialConfig } from "./resolve-credential.js";
import { resolveProxy, resolveTls, type ProxyConfig, type TlsConfig } from "./resolve-network.js";
import { resolveSecret } from "./resolve-secret.js";
import { configSchema, mappingsSchema, type ConfigInput } from "./schema.js";
import type { Secret } from "./secret.js";

export type { GraphCredentialConfig, ProxyConfig, TlsConfig };

/** The whole configuration, validated, with secrets resolved and expressions compiled. */
export interface AgentConfig {
  readonly file: string;
  readonly graph: Omit<ConfigInput["graph"], "credential" | "tls"> & {
    readonly credential: GraphCredentialConfig;
    /** `graph.tls.caFile`, read and checked: the CA for Graph and the token endpoint, or null (system CAs). */
    readonly tls: TlsConfig | null;
  };
  readonly app: ConfigInput["app"];
  readonly klaxoon: Omit<ConfigInput["klaxoon"], "secretToken" | "tls"> & {
    readonly secretToken: Secret;
    readonly tls: TlsConfig | null;
  };
  /** The `proxy` key, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY; null: every connection is direct. */
  readonly proxy: ProxyConfig | null;
  readonly scoping: {
    readonly users: CompiledScope;
    readonly groups: CompiledScope;
    readonly skipOutOfScopeDeletions: boolean;
  };
  readonly mappings: CompiledMappingSet;
  /**
   * A digest of everything that decides what Klaxoon should hold (mappings, scoping filters,
   * nested-group expansion): a state file made under other rules gets a full re-evaluation.
   */
  readonly rulesDigest: string;
  readonly state: { readonly path: string };
  readonly deletionGuard: ConfigInput["deletionGuard"];
  /** `protect:`, compiled: the accounts the plan never changes, deactivates or removes from a group. */
  readonly protection: AccountProtection;
  readonly reviewedPlans: ConfigInput["reviewedPlans"];
  readonly log: ConfigInput["log"];
  readonly provisioningLog: { readonly file: string | null };
  readonly daemon: ConfigInput["daemon"];
  readonly metrics: ConfigInput["metrics"];
}

/**
 * YAML + environment + secret files → a frozen config. Every error names the file, the key
 * path (and line where the YAML has one) and what was expected.
 */
export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  refuseDisabledTlsVerification(env);
  const file = await readYamlFile(path);
  const input = validateYaml(file, configSchema);
  const dir = dirname(resolve(path));
  const { mappings, definition } = await loadMappings(input.mappings, keySite(file, "mappings"), dir);
  const scoping = {
    users: prefixed(path, () => compileScope(input.scoping.users, "scoping.users")),
    groups: prefixed(path, () => compileScope(input.scoping.groups, "scoping.groups", { allowMembership: false })),
    skipOutOfScopeDeletions: input.scoping.skipOutOfScopeDeletions,
  };
  const provisioningLogFile = input.provisioningLog.file;
  const config: AgentConfig = {
    file: path,
    graph: {
      ...input.graph,
      credential: await resolveCredential(input.graph.credential, keySite(file, "graph", "credential"), dir, env),
      tls: await resolveTls(input.graph.tls, keySite(file, "graph", "tls"), dir),
    },
    app: input.app,
    klaxoon: {
      ...input.klaxoon,
      secretToken: await resolveSecret(input.klaxoon.secretToken, keySite(file, "klaxoon", "secretToken"), dir, env),
      tls: await resolveTls(input.klaxoon.tls, keySite(file, "klaxoon", "tls"), dir),
    },
    proxy: await resolveProxy(input.proxy, keySite(file, "proxy"), dir, env),
    scoping,
    mappings,
    rulesDigest: digestOf({
      mappings: definition,
      scoping: input.scoping,
      nestedGroups: input.graph.nestedGroups,
      // Left out when empty, so configurations without it keep their digest (no full re-evaluation on upgrade).
      ...(hasProtection(input.protect) ? { protect: input.protect } : {}),
    }),
    state: {
      path: await checkWritableKeyPath(keySite(file, "state", "path"), resolve(dir, input.state.path), {
        createsDirectories: true,
      }),
    },
    deletionGuard: input.deletionGuard,
    protection: prefixed(path, () => compileProtection(input.protect)),
    reviewedPlans: input.reviewedPlans,
    log: input.log,
    daemon: input.daemon,
    metrics: input.metrics,
    provisioningLog: {
      file:
        provisioningLogFile === undefined
          ? null
          : await checkWritableKeyPath(keySite(file, "provisioningLog", "file"), resolve(dir, provisioningLogFile), {
              createsDirectories: false,
            }),
    },
  };
  return deepFreeze(config);
}

/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off for every connection in the
 * process, Graph's and Klaxoon's included: the agent would then send its credentials to anyone.
 */
function refuseDisabledTlsVerification(env: NodeJS.ProcessEnv): void {
  if (env["NODE_TLS_REJECT_UNAUTHORIZED"] === "0") {
    throw new ConfigError(
      "CONFIG_TLS_VERIFICATION_OFF",
      "environment variable NODE_TLS_REJECT_UNAUTHORIZED=0 turns TLS certificate checks off; the agent does not run " +
        "without them (to trust a private CA, set graph.tls.caFile or klaxoon.tls.caFile to its PEM file instead)",
    );
  }
}

async function loadMappings(
  value: ConfigInput["mappings"],
  site: KeySite,
  dir: string,
): Promise<{ mappings: CompiledMappingSet; definition: unknown }> {
  if (typeof value !== "string")
    return { mappings: prefixed(site.file.path, () => compileMappings(value, "mappings")), definition: value };
  const mappingsPath = resolve(dir, value);
  const definition = validateYaml(parseYaml(mappingsPath, await readKeyFile(site, mappingsPath)), mappingsSchema);
  return { mappings: prefixed(mappingsPath, () => compileMappings(definition, "mappings")), definition };
}

/** The validated definitions' JSON: zod gives keys in schema order and fills defaults, so it is stable. */
function digestOf(rules: unknown): string {
  return createHash("sha256").update(JSON.stringify(rules)).digest("base64url").slice(0, 16);
}

/** Errors from compiling mappings and filters name the key; we add the file to each line. */
function hasProtection(protect: ConfigInput["protect"]): boolean {
  return protect.userNames.length + protect.klaxoonIds.length + protect.where.length > 0;
}

function prefixed<T>(file: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof ConfigError) {
      const message = error.message
        .split("\n")
        .map((line) => `${file}: ${line}`)
        .join("\n");
      throw new ConfigError(error.code, message, { cause: error });
    }
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (
    value &&
    typeof value === "object" &&
    !Object.isFrozen(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every resolved secret value, for last-line-of-defence scrubbing of outgoing text. */
export function revealSecrets(config: AgentConfig): string[] {
  const { credential } = config.graph;
  const graph =
    credential.type === "clientSecret"
      ? [credential.clientSecret]
      : credential.type === "clientCertificate" && credential.certificatePassword
        ? [credential.certificatePassword]
        : [];
  const proxy = [config.proxy?.https, config.proxy?.http].flatMap((server) => {
    const credentials = server?.credentials?.reveal();
    if (credentials === undefined) return [];
    const password = credentials.slice(credentials.indexOf(":") + 1);
    return [credentials, password, Buffer.from(credentials).toString("base64")];
  });
  return [...[config.klaxoon.secretToken, ...graph].map((secret) => secret.reveal()), ...proxy];
}
