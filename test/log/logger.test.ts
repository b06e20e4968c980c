import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/config/secret.js";
import { createLogger, createProgress } from "../../src/log/index.js";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return {
    stream,
    lines: () =>
      text
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("the logger", () => {
  it("redacts tokens, client secrets and Authorization headers wherever they sit", () => {
    const out = capture();
    const logger = createLogger({ level: "info", pretty: false, destination: out.stream });
    logger.info(
      {
        token: "t0k3n",
        clientSecret: "s3cr3t",
        headers: { authorization: "Bearer abc.def.ghi" },
        request: { headers: { Authorization: "Bearer xyz" }, accessToken: "at" },
        secretToken: new Secret("klx-token"),
      },
      "request sent",
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ["t0k3n", "s3cr3t", "abc.def.ghi", "xyz", '"at"', "klx-token"])
      expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });
});

describe("apply progress", () => {
  it("writes a progress record every few seconds in JSON logs, with done, total and rate", () => {
    const out = capture();
    const logger = createLogger({ level: "info", pretty: false, destination: out.stream });
    let now = 0;
    const progress = createProgress(logger, null, () => now, 5_000);
    progress.start(100);
    for (let i = 0; i < 100; i += 1) {
      now += 100; // 10 operations a second
      progress.tick();
    }
    progress.finish();
    const records = out.lines().filter((l) => l["progress"] !== undefined);
    // 10 s of work: one record each 5 s, not one per operation.
    expect(records.map((r) => r["progress"])).toEqual([
      { done: 50, total: 100 },
      { done: 100, total: 100 },
    ]);
    expect(records[0]?.["msg"]).toBe("50/100 operations, 10.0/s, ETA 5s");
  });

  it("rewrites one line on a terminal instead", () => {
    const terminal = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = "";
    (terminal as unknown as PassThrough).on("data", (c: Buffer) => (written += c.toString("utf8")));
    const out = capture();
    let now = 0;
    const progress = createProgress(
      createLogger({ level: "info", pretty: false, destination: out.stream }),
      terminal,
      () => now,
    );
    progress.start(2);
    now = 1000;
    progress.tick();
    progress.tick();
    progress.finish();
    expect(written).toBe("\r\u001b[K1/2 operations, 1.0/s, ETA 1s\r\u001b[K2/2 operations, 2.0/s, ETA 0s\n");
    expect(out.lines()).toEqual([]);
  });
});
