import { parseArgs } from "node:util";
import { ConfigError } from "../model/index.js";

export type Command =
  | { readonly name: "help" }
  | { readonly name: "version" }
  | { readonly name: "validate"; readonly config: string }
  | { readonly name: "run"; readonly config: string }
  | { readonly name: "test-connection"; readonly config: string }
  | {
      readonly name: "reset";
      readonly config: string;
      readonly clearEscrows: boolean;
      readonly clearDelta: boolean;
      readonly forgetLinks: boolean;
    }
  | {
      readonly name: "apply";
      readonly config: string;
      readonly planFile: string;
      readonly output: "text" | "json";
      readonly allowDeactivations: boolean;
    }
  | {
      readonly name: "explain";
      readonly config: string;
      readonly output: "text" | "json";
      readonly onDemand: { readonly kind: "user" | "group"; readonly ref: string };
    }
  | {
      readonly name: "sync";
      readonly config: string;
      readonly dryRun: boolean;
      readonly output: "text" | "json";
      readonly planFile: string | undefined;
      readonly allowDeactivations: boolean;
      readonly onDemand: { readonly kind: "user" | "group"; readonly ref: string } | undefined;
      readonly fullRead: boolean;
    };

export const DEFAULT_CONFIG = "config/config.yaml";

export const USAGE = `Usage: entra-klaxoon-sync <command> [options]

Commands:
  sync        run one provisioning cycle and exit
  run         run cycles on a schedule (default every 40 minutes) until SIGTERM/SIGINT
  apply       apply a reviewed plan file (sync --dry-run --plan-file F) as reviewed, or refuse it if stale
  explain     why one user or group is provisioned as it is (--user or --group; read-only)
  validate    check the configuration offline (schema, secrets, expressions, filters)
  test-connection  check both sides like Entra's Test Connection: a Graph token and the app, a Klaxoon lookup
  reset       leave quarantine, like Entra's "Restart provisioning" (links are kept)

Options:
  -c, --config <file>        configuration file (default: $ENTRA_KLAXOON_SYNC_CONFIG or ${DEFAULT_CONFIG})
      --dry-run              read both sides, print the plan, write nothing (sync)
      --output <text|json>   how the plan is printed on stdout (sync; default text)
      --plan-file <file>     also write the plan as JSON to this file (sync)
      --allow-deactivations  let this one run apply deactivations the deletion guard holds (sync)
      --full-read            read the whole directory, not only the changes since the last cycle (sync)
      --user <UPN or id>     provision this one user now, showing each step (sync)
      --group <name or id>   provision this one group and its members now (sync)
      --clear-escrows        with reset: forget operations waiting for a retry
      --clear-delta          with reset: forget the delta links (next cycle is a full read)
      --forget-links         with reset: start afresh (a new tenant, app or Tenant URL): set the whole
                             state aside; the next cycle matches every account again by userName
  -h, --help                 show this help
  -v, --version              show the version`;

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        "dry-run": { type: "boolean", default: false },
        output: { type: "string", default: "text" },
        "plan-file": { type: "string" },
        "allow-deactivations": { type: "boolean", default: false },
        user: { type: "string" },
        group: { type: "string" },
        "clear-escrows": { type: "boolean", default: false },
        "full-read": { type: "boolean", default: false },
        "clear-delta": { type: "boolean", default: false },
        "forget-links": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    throw new ConfigError("CLI_USAGE", `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: "help" };
  if (values.version) return { name: "version" };
  const config = values.config ?? env["ENTRA_KLAXOON_SYNC_CONFIG"] ?? DEFAULT_CONFIG;
  const [name, ...rest] = positionals;
  if (name === "apply") {
    const [planFile, ...more] = rest;
    if (planFile === undefined) throw new ConfigError("CLI_USAGE", "apply needs the plan file: apply plan.json");
    if (more.length > 0) throw new ConfigError("CLI_USAGE", `unexpected argument "${more[0]}"\n\n${USAGE}`);
    return {
      name: "apply",
      config,
      planFile,
      output: outputOf(values.output),
      allowDeactivations: values["allow-deactivations"],
    };
  }
  if (rest.length > 0) throw new ConfigError("CLI_USAGE", `unexpected argument "${rest[0]}"\n\n${USAGE}`);
  switch (name) {
    case undefined:
      return { name: "help" };
    case "validate":
      return { name: "validate", config };
    case "run":
      return { name: "run", config };
    case "test-connection":
      return { name: "test-connection", config };
    case "reset":
      return {
        name: "reset",
        config,
        clearEscrows: values["clear-escrows"],
        clearDelta: values["clear-delta"],
        forgetLinks: values["forget-links"],
      };
    case "explain": {
      const output = outputOf(values.output);
      const onDemand = onDemandOf(values.user, values.group);
      if (onDemand === undefined)
        throw new ConfigError("CLI_USAGE", "explain needs --user <UPN or id> or --group <name or id>");
      return { name: "explain", config, output, onDemand };
    }
    case "sync": {
      const output = values.output;
      if (output !== "text" && output !== "json")
        throw new ConfigError("CLI_USAGE", `--output must be "text" or "json", not "${output}"`);
      if (values.user !== undefined && values.group !== undefined)
        throw new ConfigError("CLI_USAGE", "--user and --group cannot be combined: provision one object at a time");
      const onDemand =
        values.user !== undefined
          ? { kind: "user" as const, ref: values.user }
          : values.group !== undefined
            ? { kind: "group" as const, ref: values.group }
            : undefined;
      return {
        name: "sync",
        config,
        dryRun: values["dry-run"],
        output,
        planFile: values["plan-file"],
        allowDeactivations: values["allow-deactivations"],
        onDemand,
        fullRead: values["full-read"],
      };
    }
    default:
      throw new ConfigError("CLI_USAGE", `unknown command "${name}"\n\n${USAGE}`);
  }
}

function outputOf(output: string): "text" | "json" {
  if (output !== "text" && output !== "json")
    throw new ConfigError("CLI_USAGE", `--output must be "text" or "json", not "${output}"`);
  return output;
}

function onDemandOf(
  user: string | undefined,
  group: string | undefined,
): { readonly kind: "user" | "group"; readonly ref: string } | undefined {
  if (user !== undefined && group !== undefined)
    throw new ConfigError("CLI_USAGE", "--user and --group cannot be combined: one object at a time");
  if (user !== undefined) return { kind: "user", ref: user };
  return group === undefined ? undefined : { kind: "group", ref: group };
}
