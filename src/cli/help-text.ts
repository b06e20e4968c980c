import { COMMANDS, HELP_OPTION, PROGRAM, type CommandSpec, type OptionSpec } from "./command-table.js";

/** The global help: the commands, each on one line, aligned whatever the longest name. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Global options:",
    `  -h, --help       show this help (after a command: that command's help)`,
    `  -v, --version    show the version`,
    "",
    `Run "${PROGRAM} help <command>" or "${PROGRAM} <command> --help" for a command's options.`,
  ].join("\n");
}

/** One command's help: usage, what it does, only its options (with defaults), examples. */
export function commandHelp(command: CommandSpec): string {
  const options: [string, OptionSpec][] = [...Object.entries(command.options), ["help", HELP_OPTION]];
  const left = options.map(([name, spec]) => optionSignature(name, spec));
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = [`Usage: ${PROGRAM} ${command.usage}`, "", `${command.summary.replace(/^./, (c) => c.toUpperCase())}.`];
  if (command.details !== "") lines.push(command.details);
  lines.push("", "Options:");
  options.forEach(([, spec], index) => {
    const defaults = spec.defaultText === undefined ? "" : ` (default: ${spec.defaultText})`;
    lines.push(`  ${(left[index] ?? "").padEnd(width)}${spec.description}${defaults}`);
  });
  lines.push("", "Examples:", ...command.examples.map((example) => `  ${example}`));
  return lines.join("\n");
}

function optionSignature(name: string, spec: OptionSpec): string {
  const short = spec.short === undefined ? "    " : `-${spec.short}, `;
  return `${short}--${name}${spec.value === undefined ? "" : ` ${spec.value}`}`;
}

/** `--config, --dry-run, …`: what an error about a flag lists. */
export function flagList(command: CommandSpec): string {
  return [...Object.keys(command.options), "help"].map((name) => `--${name}`).join(", ");
}
