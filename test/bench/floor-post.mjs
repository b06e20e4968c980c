// The floor: a minimal load generator that POSTs the given SCIM user bodies to /Users at a
// fixed concurrency over one keep-alive undici Pool (the agent's transport), nothing else.
// argv: <tenantUrl> <token> <concurrency> <bodies.json>. Prints {"ms":…,"ok":…,"failed":…}.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";

const [tenantUrl, token, concurrencyText, bodiesPath] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesPath, "utf8"));
const base = new URL(tenantUrl);
const pool = new Pool(base.origin, { connections: Number(concurrencyText), pipelining: 1, keepAliveTimeout: 30_000 });
const path = `${base.pathname.replace(/\/$/, "")}/Users`;
const headers = {
  authorization: `Bearer ${token}`,
  "content-type": "application/scim+json",
  accept: "application/scim+json",
};
let next = 0;
let ok = 0;
let failed = 0;
const started = performance.now();
async function worker() {
  while (next < bodies.length) {
    const body = JSON.stringify(bodies[next++]);
    const res = await pool.request({ origin: base.origin, path, method: "POST", headers, body });
    await res.body.text();
    if (res.statusCode === 201) ok += 1;
    else failed += 1;
  }
}
await Promise.all(Array.from({ length: Number(concurrencyText) }, worker));
const ms = performance.now() - started;
await pool.close();
process.stdout.write(`${JSON.stringify({ ms, ok, failed })}\n`);
