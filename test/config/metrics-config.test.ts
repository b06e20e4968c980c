import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { configYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";

/** `metrics.pushgateway` (issue 19, point 6): defaults, and what the schema refuses. */
let dir: string;
let n = 0;

async function load(metrics: string) {
  const path = join(dir, `config-${n++}.yaml`);
  await writeFile(path, configYaml({ credential: "{ type: managedIdentity }", extra: metrics }), "utf8");
  return loadConfig(path, {});
}

async function refusal(metrics: string): Promise<string> {
  return (await configRefusal(load(metrics))).message;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-metrics-config-"));
  await writeFile(join(dir, "token.txt"), "token\n");
});

describe("metrics.pushgateway", () => {
  it("is off unless set", async () => {
    expect((await load("")).metrics.pushgateway).toBeUndefined();
  });

  it("defaults the job, the grouping labels and the timeout", async () => {
    const config = await load("metrics:\n  pushgateway: { url: http://pushgateway.monitoring:9091 }\n");
    expect(config.metrics.pushgateway).toEqual({
      url: "http://pushgateway.monitoring:9091",
      job: "entra-klaxoon-sync",
      groupingLabels: {},
      timeoutSeconds: 10,
    });
  });

  it("refuses credentials over plain http to another machine, a reserved or invalid label, a '/' in a value", async () => {
    expect(await refusal("metrics:\n  pushgateway: { url: 'http://u:p@pushgateway:9091' }\n")).toMatch(
      /metrics\.pushgateway\.url: credentials in a Pushgateway URL need https/,
    );
    expect(await refusal("metrics:\n  pushgateway: { url: http://pg:9091, groupingLabels: { job: x } }\n")).toMatch(
      /reserved/,
    );
    expect(await refusal("metrics:\n  pushgateway: { url: http://pg:9091, groupingLabels: { 1a: x } }\n")).toMatch(
      /label name/,
    );
    expect(await refusal("metrics:\n  pushgateway: { url: http://pg:9091, job: a/b }\n")).toMatch(
      /must not contain '\/'/,
    );
    expect(await refusal("metrics:\n  pushgateway: { url: ftp://pg:9091 }\n")).toMatch(/metrics\.pushgateway\.url/);
    // https with credentials is fine.
    const config = await load("metrics:\n  pushgateway: { url: 'https://u:p@pushgateway:9091' }\n");
    expect(config.metrics.pushgateway?.url).toBe("https://u:p@pushgateway:9091");
  });
});
