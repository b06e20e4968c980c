import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/index.js";
import { runAgentInProcess } from "../support/in-process-agent.js";

const run = (args: readonly string[]) => runAgentInProcess(args, {});

describe("help per command", () => {
  it.each([[["sync", "--help"]], [["help", "sync"]], [["sync", "-h"]]])(
    "%j prints sync's own options, with defaults and an example",
    async (args) => {
      const result = await run(args);
      expect(result.code).toBe(EXIT.success);
      expect(result.stdout).toMatch(/^Usage: entra-klaxoon-sync sync \[options\]/);
      expect(result.stdout).toMatch(/--dry-run\s+read both sides, print the plan, write nothing .*\(default: off\)/);
      expect(result.stdout).toMatch(/--output <text\|json>\s+how the plan is printed on stdout \(default: text\)/);
      expect(result.stdout).toContain("Examples:\n  entra-klaxoon-sync sync --config config/config.yaml --dry-run");
      // Only sync's options: reset's are not listed.
      expect(result.stdout).not.toContain("--clear-escrows");
    },
  );

  it("validate's help lists --no-secrets and not sync's flags", async () => {
    const result = await run(["validate", "--help"]);
    expect(result.stdout).toContain("--no-secrets");
    expect(result.stdout).not.toContain("--dry-run");
  });

  it("the global help lists every command on an aligned line", async () => {
    const result = await run(["help"]);
    expect(result.code).toBe(EXIT.success);
    const commands = result.stdout.split("\n").filter((line) => /^ {2}[a-z-]+ {2,}\S/.test(line));
    expect(commands.map((line) => line.trim().split(/\s+/)[0])).toEqual([
      "sync",
      "apply",
      "explain",
      "run",
      "validate",
      "test-connection",
      "reset",
      "help",
      "version",
    ]);
    // Where each summary starts: the same column for all (test-connection was misaligned).
    const columns = new Set(commands.map((line) => line.length - line.replace(/^ {2}[a-z-]+ +/, "").length));
    expect(columns.size).toBe(1);
  });
});

describe("flags that do not belong to the command", () => {
  it("validate --dry-run is a usage error naming validate's flags", async () => {
    const result = await run(["validate", "--dry-run"]);
    expect(result.code).toBe(EXIT.config);
    expect(result.error).toEqual({
      code: "CLI_USAGE",
      message:
        'validate: unknown option --dry-run; the options of validate are --config, --no-secrets, --help (see "entra-klaxoon-sync help validate")',
    });
  });

  it.each([
    [["sync", "--frobnicate"], /sync: unknown option --frobnicate; the options of sync are --config, --dry-run/],
    [["reset", "--user", "x"], /reset: unknown option --user/],
    [["sync", "--config"], /sync: --config needs a value/],
    [["sync", "--dry-run=yes"], /sync: --dry-run takes no value/],
    [["sync", "extra"], /sync: unexpected argument "extra"/],
    [["sync", "--output", "yaml"], /--output must be "text" or "json"/],
    [["help", "nope"], /no help for "nope": not a command/],
    [["frobnicate"], /unknown command "frobnicate" \(the commands are: sync, apply, explain, run, validate/],
  ])("%j exits 2", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(EXIT.config);
    expect(result.error?.code).toBe("CLI_USAGE");
    expect(result.error?.message).toMatch(message);
  });

  it("--version and the version command print the version", async () => {
    expect((await run(["--version"])).stdout).toBe("test\n");
    expect((await run(["version"])).stdout).toBe("test\n");
  });
});
