/**
 * Every command and the options it takes: the one table the parser validates against and the
 * help is printed from, so a command's help can never list a flag it refuses, or miss one.
 */

export const DEFAULT_CONFIG = "config/config.yaml";
export const PROGRAM = "entra-klaxoon-sync";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The value's placeholder in the help (`<file>`), for string options. */
  readonly value?: string;
  readonly description: string;
  /** The default as the help states it; the parser applies defaults itself. */
  readonly defaultText?: string;
}

export type CommandName =
  | "sync"
  | "apply"
  | "explain"
  | "run"
  | "validate"
  | "test-connection"
  | "reset"
  | "help"
  | "version";

export interface CommandSpec {
  readonly name: CommandName;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** A few lines, for the command's own help. */
  readonly details: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** The one positional argument the command takes (`apply <plan file>`), if any. */
  readonly argument?: string;
}

const config: OptionSpec = {
  type: "string",
  short: "c",
  value: "<file>",
  description: "the configuration file",
  defaultText: `$ENTRA_KLAXOON_SYNC_CONFIG, else ${DEFAULT_CONFIG}`,
};

export const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "sync",
    summary: "run one provisioning cycle and exit",
    details:
      "Reads the users and groups assigned to the app from Entra and what Klaxoon holds, prints the plan,\n" +
      "applies it (unless --dry-run) and records the outcome in the state file.",
    usage: "sync [options]",
    options: {
      config,
      "dry-run": {
        type: "boolean",
        description: "read both sides, print the plan, write nothing (not even state)",
        defaultText: "off",
      },
      output: {
        type: "string",
        value: "<text|json>",
        description: "how the plan is printed on stdout",
        defaultText: "text",
      },
      "plan-file": { type: "string", value: "<file>", description: "also write the plan as JSON to this file" },
      "allow-deactivations": {
        type: "boolean",
        description: "apply, this once, the deactivations the deletion guard holds",
        defaultText: "off",
      },
      "full-read": {
        type: "boolean",
        description: "read the whole directory, not only the changes since the last cycle",
        defaultText: "off",
      },
      user: {
        type: "string",
        value: "<UPN or id>",
        description: "provision this one user now, showing each step",
      },
      group: {
        type: "string",
        value: "<name or id>",
        description: "provision this one group and its members now",
      },
    },
    examples: [
      `${PROGRAM} sync --config config/config.yaml --dry-run`,
      `${PROGRAM} sync --config config/config.yaml --user ada@contoso.com`,
    ],
  },
  {
    name: "apply",
    summary: "apply a reviewed plan file as reviewed, or refuse it when stale",
    details:
      "Writes exactly the operations of a plan made by sync --dry-run --plan-file, or refuses (exit 7,\n" +
      "nothing written) when it was edited, is for other ends, rules or guard settings, is older than\n" +
      "reviewedPlans.maxAgeMinutes, or when an object it touches changed in Entra or Klaxoon since.",
    usage: "apply <plan file> [options]",
    argument: "<plan file>",
    options: {
      config,
      output: {
        type: "string",
        value: "<text|json>",
        description: "how the applied plan is printed on stdout",
        defaultText: "text",
      },
      "allow-deactivations": {
        type: "boolean",
        description: "apply, this once, the deactivations the deletion guard holds",
        defaultText: "off",
      },
    },
    examples: [
      `${PROGRAM} sync --config config/config.yaml --dry-run --plan-file plan.json`,
      `${PROGRAM} apply plan.json --config config/config.yaml`,
    ],
  },
  {
    name: "explain",
    summary: "why one user or group is provisioned as it is (read-only)",
    details:
      "Runs the cycle's read, scoping, mapping and planning for one object and prints how it is in scope,\n" +
      "each scoping clause and mapping with its values, and the action a cycle would take with its reason.",
    usage: "explain (--user <UPN or id> | --group <name or id>) [options]",
    options: {
      config,
      user: { type: "string", value: "<UPN or id>", description: "the user to explain" },
      group: { type: "string", value: "<name or id>", description: "the group to explain" },
      output: {
        type: "string",
        value: "<text|json>",
        description: "how the explanation is printed on stdout",
        defaultText: "text",
      },
    },
    examples: [`${PROGRAM} explain --user ada@contoso.com`, `${PROGRAM} explain --group "Klaxoon PRO" --output json`],
  },
  {
    name: "run",
    summary: "run cycles on a schedule until SIGTERM/SIGINT (the daemon)",
    details:
      "Runs a cycle every daemon.intervalMinutes (default 40) or on daemon.cron, with quarantine,\n" +
      "health and metrics endpoints (daemon.health, default port 8080) and the webhook.",
    usage: "run [options]",
    options: { config },
    examples: [`${PROGRAM} run --config config/config.yaml`],
  },
  {
    name: "validate",
    summary: "check the configuration offline (schema, ids, secrets, expressions, filters)",
    details:
      "Reports every problem at once, each with the file, line and column of the key and the fix.\n" +
      "Sends no request to Graph or Klaxoon.",
    usage: "validate [options]",
    options: {
      config,
      "no-secrets": {
        type: "boolean",
        description: "check everything except that the secrets resolve (for CI jobs without secrets)",
        defaultText: "off",
      },
    },
    examples: [
      `${PROGRAM} validate --config config/config.yaml`,
      `${PROGRAM} validate --config config/config.example.yaml --no-secrets`,
    ],
  },
  {
    name: "test-connection",
    summary: "check both ends like Entra's Test Connection",
    details:
      "Gets a Graph token and reads the app's service principal, then asks Klaxoon for a random\n" +
      'userName (GET /Users?filter=userName eq "<guid>"). Exit 0 when both answer, 3 otherwise.',
    usage: "test-connection [options]",
    options: { config },
    examples: [`${PROGRAM} test-connection --config config/config.yaml`],
  },
  {
    name: "reset",
    summary: 'leave quarantine, like Entra\'s "Restart provisioning" (links are kept)',
    details:
      "Clears the quarantine record in the state file; optionally the escrows and the delta links.\n" +
      "--forget-links starts afresh: the state is copied aside and every account is matched again.",
    usage: "reset [options]",
    options: {
      config,
      "clear-escrows": {
        type: "boolean",
        description: "also forget operations waiting for a retry",
        defaultText: "off",
      },
      "clear-delta": {
        type: "boolean",
        description: "also forget the delta links (the next cycle is a full read)",
        defaultText: "off",
      },
      "forget-links": {
        type: "boolean",
        description: "start afresh (another tenant, app or Tenant URL): set the whole state aside",
        defaultText: "off",
      },
    },
    examples: [
      `${PROGRAM} reset --config config/config.yaml`,
      `${PROGRAM} reset --config config/config.yaml --clear-escrows --clear-delta`,
    ],
  },
  {
    name: "help",
    summary: "show the help of every command, or of one",
    details: "",
    usage: "help [command]",
    options: {},
    examples: [`${PROGRAM} help sync`],
  },
  {
    name: "version",
    summary: "show the version",
    details: "",
    usage: "version",
    options: {},
    examples: [`${PROGRAM} version`],
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
