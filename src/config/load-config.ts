import { dirname, resolve } from "node:path";
import { compileMappings, type CompiledMappingSet } from "../mapping/index.js";
import { type AccountProtection, ConfigError, shortDigest } from "../model/index.js";
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

export interface LoadOptions {
  /**
   * false (`validate --no-secrets`): every check but the secrets' own: no variable or file a
   * secret names is read (nor the certificate or token file holding one); the Secrets are then
   * empty, so such a config is for reporting only, never for a cycle.
   */
  readonly secrets?: boolean;
}

/**
 * YAML + environment + secret files → a frozen config. Every error names the file, the line
 * and column of the key, and what was expected; all of them at once: first every problem the
 * schema sees, then (for a file the schema accepts) every secret, file, mapping and filter.
 */
export async function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): Promise<AgentConfig> {
  refuseDisabledTlsVerification(env);
  const file = await readYamlFile(path);
  const input = validateYaml(file, configSchema);
  const dir = dirname(resolve(path));
  const secrets = options.secrets ?? true;
  const problems = new Problems();
  const [mappingsLoaded, usersScope, groupsScope] = await Promise.all([
    problems.check(() => loadMappings(input.mappings, keySite(file, "mappings"), dir)),
    problems.check(async () => prefixed(path, () => compileScope(input.scoping.users, "scoping.users"))),
    problems.check(async () =>
      prefixed(path, () => compileScope(input.scoping.groups, "scoping.groups", { allowMembership: false })),
    ),
  ]);
  const protection = await problems.check(async () => prefixed(path, () => compileProtection(input.protect)));
  const credential = await problems.check(() =>
    resolveCredential(input.graph.credential, keySite(file, "graph", "credential"), dir, env, secrets),
  );
  const graphTls = await problems.check(() => resolveTls(input.graph.tls, keySite(file, "graph", "tls"), dir));
  const secretToken = await problems.check(() =>
    resolveSecret(input.klaxoon.secretToken, keySite(file, "klaxoon", "secretToken"), dir, env, secrets),
  );
  const klaxoonTls = await problems.check(() => resolveTls(input.klaxoon.tls, keySite(file, "klaxoon", "tls"), dir));
  const proxy = await problems.check(() => resolveProxy(input.proxy, keySite(file, "proxy"), dir, env, secrets));
  const statePath = await problems.check(() =>
    checkWritableKeyPath(keySite(file, "state", "path"), resolve(dir, input.state.path), { createsDirectories: true }),
  );
  const provisioningLogFile = input.provisioningLog.file;
  const provisioningLog = await problems.check(async () =>
    provisioningLogFile === undefined
      ? null
      : checkWritableKeyPath(keySite(file, "provisioningLog", "file"), resolve(dir, provisioningLogFile), {
          createsDirectories: false,
        }),
  );
  problems.throwIfAny();
  // Each is set when no problem was found (throwIfAny): the checks below only narrow the types.
  if (
    !mappingsLoaded ||
    !usersScope ||
    !groupsScope ||
    !protection ||
    !credential ||
    graphTls === undefined ||
    !secretToken ||
    klaxoonTls === undefined ||
    proxy === undefined ||
    statePath === undefined ||
    provisioningLog === undefined
  )
    throw new Error("unreachable: a check failed without a problem");
  const { mappings, definition } = mappingsLoaded;
  const config: AgentConfig = {
    file: path,
    graph: { ...input.graph, credential, tls: graphTls },
    app: input.app,
    klaxoon: { ...input.klaxoon, secretToken, tls: klaxoonTls },
    proxy,
    scoping: {
      users: usersScope,
      groups: groupsScope,
      skipOutOfScopeDeletions: input.scoping.skipOutOfScopeDeletions,
    },
    mappings,
    rulesDigest: digestOf({
      mappings: definition,
      scoping: input.scoping,
      nestedGroups: input.graph.nestedGroups,
      // Left out when empty, so configurations without it keep their digest (no full re-evaluation on upgrade).
      ...(hasProtection(input.protect) ? { protect: input.protect } : {}),
    }),
    state: { path: statePath },
    deletionGuard: input.deletionGuard,
    protection,
    reviewedPlans: input.reviewedPlans,
    log: input.log,
    daemon: input.daemon,
    metrics: input.metrics,
    provisioningLog: { file: provisioningLog },
  };
  return deepFreeze(config);
}

/** The configuration errors found so far: one thrown at the end, with every message, one per line. */
class Problems {
  readonly #errors: ConfigError[] = [];

  async check<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.#errors.push(error);
      return undefined;
    }
  }

  throwIfAny(): void {
    const [first, ...more] = this.#errors;
    if (first === undefined) return;
    if (more.length === 0) throw first;
    // Several kinds of problem: the code says "invalid"; each line keeps its own words.
    throw new ConfigError("CONFIG_INVALID", this.#errors.map((error) => error.message).join("\n"), { cause: first });
  }
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
  return shortDigest(JSON.stringify(rules));
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
