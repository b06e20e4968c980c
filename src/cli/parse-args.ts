/**
 * The command line → one command, validated against the command table (command-table.ts): a
 * flag another command takes is an error naming the flags this one takes, never ignored.
 * Node's own `util.parseArgs` does the tokenising (no dependency); this file adds the commands.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../model/index.js";
import { COMMANDS, DEFAULT_CONFIG, HELP_OPTION, PROGRAM, commandSpec, type CommandSpec } from "./command-table.js";
import { flagList } from "./help-text.js";

export { DEFAULT_CONFIG };

export type Command =
  /** `topic`: the command whose help is asked for; none for the global help. */
  | { readonly name: "help"; readonly topic?: CommandSpec | undefined }
  | { readonly name: "version" }
  | { readonly name: "validate"; readonly config: string; readonly secrets: boolean }
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

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | undefined>;

/** Every option any command takes: enough to find the command word wherever the flags stand. */
const ALL_OPTIONS: Options = {
  ...Object.fromEntries(
    COMMANDS.flatMap((c) => Object.entries(c.options)).map(([name, spec]) => [name, toParse(spec)]),
  ),
  help: toParse(HELP_OPTION),
  version: { type: "boolean", short: "v" },
};

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const { index, word } = findCommandWord(argv);
  const args = index === -1 ? [...argv] : [...argv.slice(0, index), ...argv.slice(index + 1)];
  if (word === undefined) {
    const values = parseLoosely(args);
    return values["version"] === true && values["help"] !== true ? { name: "version" } : { name: "help" };
  }
  const command = commandSpec(word);
  if (command === undefined) {
    const names = COMMANDS.map((c) => c.name).join(", ");
    throw usageError(`unknown command "${word}" (the commands are: ${names}); see "${PROGRAM} help"`);
  }
  const { values, positionals } = parseFor(command, args);
  if (values["help"] === true) return { name: "help", topic: command };
  return build(command, values, positionals, env);
}

function build(command: CommandSpec, values: Values, positionals: readonly string[], env: NodeJS.ProcessEnv): Command {
  const config = stringValue(values, "config") ?? env["ENTRA_KLAXOON_SYNC_CONFIG"] ?? DEFAULT_CONFIG;
  const flag = (name: string): boolean => values[name] === true;
  switch (command.name) {
    case "help": {
      const [topic, ...extra] = positionals;
      if (extra.length > 0) throw usageError(`help takes one command, not "${positionals.join(" ")}"`);
      if (topic === undefined) return { name: "help" };
      const spec = commandSpec(topic);
      if (spec === undefined) throw usageError(`no help for "${topic}": not a command; see "${PROGRAM} help"`);
      return { name: "help", topic: spec };
    }
    case "version":
      return { name: "version" };
    case "validate":
      return { name: "validate", config, secrets: !flag("no-secrets") };
    case "run":
      return { name: "run", config };
    case "test-connection":
      return { name: "test-connection", config };
    case "reset":
      return {
        name: "reset",
        config,
        clearEscrows: flag("clear-escrows"),
        clearDelta: flag("clear-delta"),
        forgetLinks: flag("forget-links"),
      };
    case "sync":
      return buildSync(config, values);
    case "apply": {
      const [planFile] = positionals;
      if (planFile === undefined) throw usageError(`apply: the plan file is missing (see "${PROGRAM} help apply")`);
      return {
        name: "apply",
        config,
        planFile,
        output: outputOf(command.name, values),
        allowDeactivations: flag("allow-deactivations"),
      };
    }
    case "explain": {
      const onDemand = onDemandOf(command.name, values);
      if (onDemand === undefined) throw usageError("explain: --user <UPN or id> or --group <name or id> is needed");
      return { name: "explain", config, output: outputOf(command.name, values), onDemand };
    }
  }
}

function outputOf(command: string, values: Values): "text" | "json" {
  const output = stringValue(values, "output") ?? "text";
  if (output !== "text" && output !== "json")
    throw usageError(`${command}: --output must be "text" or "json", not "${output}"`);
  return output;
}

/** `--user` or `--group`, never both: one object at a time. */
function onDemandOf(command: string, values: Values): { kind: "user" | "group"; ref: string } | undefined {
  const user = stringValue(values, "user");
  const group = stringValue(values, "group");
  if (user !== undefined && group !== undefined)
    throw usageError(`${command}: --user and --group cannot be combined: one object at a time`);
  if (user !== undefined) return { kind: "user", ref: user };
  return group === undefined ? undefined : { kind: "group", ref: group };
}

function buildSync(config: string, values: Values): Command {
  const output = outputOf("sync", values);
  const onDemand = onDemandOf("sync", values);
  return {
    name: "sync",
    config,
    dryRun: values["dry-run"] === true,
    output,
    planFile: stringValue(values, "plan-file"),
    allowDeactivations: values["allow-deactivations"] === true,
    onDemand,
    fullRead: values["full-read"] === true,
  };
}

/** The first word that is neither a flag nor a flag's value, and where it stands. */
function findCommandWord(argv: readonly string[]): { index: number; word: string | undefined } {
  const { tokens } = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, tokens: true });
  const first = tokens.find((token) => token.kind === "positional");
  return first === undefined ? { index: -1, word: undefined } : { index: first.index, word: first.value };
}

function parseLoosely(args: readonly string[]): Values {
  return parseArgs({ args: [...args], options: ALL_OPTIONS, strict: false }).values as Values;
}

/** Parses one command's flags, refusing any it does not take with the list of those it does. */
function parseFor(command: CommandSpec, args: readonly string[]): { values: Values; positionals: string[] } {
  const options: Options = {
    ...Object.fromEntries(Object.entries(command.options).map(([name, spec]) => [name, toParse(spec)])),
    help: toParse(HELP_OPTION),
  };
  const see = `see "${PROGRAM} help ${command.name}"`;
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const takesArgument = command.name === "help" || command.argument !== undefined;
  let positionals = 0;
  for (const token of tokens) {
    if (token.kind === "positional" && (!takesArgument || (command.name !== "help" && ++positionals > 1)))
      throw usageError(`${command.name}: unexpected argument "${token.value}" (${see})`);
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (spec === undefined) {
      throw usageError(
        `${command.name}: unknown option ${token.rawName}; the options of ${command.name} are ${flagList(command)} (${see})`,
      );
    }
    if (spec.type === "string" && token.value === undefined)
      throw usageError(`${command.name}: ${token.rawName} needs a value (${see})`);
    if (spec.type === "boolean" && token.value !== undefined)
      throw usageError(`${command.name}: ${token.rawName} takes no value, found "${token.value}" (${see})`);
  }
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: takesArgument });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    // What is left for Node's own checks: a value that looks like a flag (`--config --dry-run`).
    throw usageError(`${command.name}: ${error instanceof Error ? error.message : String(error)} (${see})`);
  }
}

function toParse(spec: { readonly type: "string" | "boolean"; readonly short?: string }): Options[string] {
  return spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
}

function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

function usageError(message: string): ConfigError {
  return new ConfigError("CLI_USAGE", message);
}
