// The floor: a minimal load generator that replays the agent's SCIM writes (the same requests,
// same bodies) at the same concurrency over one keep-alive undici Pool (the agent's transport),
// and the same pacing: none, or requestsPerSecond on a grid of slots. Nothing else: no Graph, no
// plan, no state. Measured by the bench as a process, from spawn to exit, as the agent is.
//
// argv: <tenantUrl> <token> <concurrency> <requests.json> <requestsPerSecond|unlimited>
// requests.json: { phases: [[{ method, path, body, ref? }]] }, phases in order (the agent's:
// users, then groups, then member changes). A request with `ref` records the id its answer
// gives under that name (the id the agent's world gave the same resource); later paths and
// bodies have those ids swapped for this world's (the emulator's ids: u-NNNNNN, g-NNNNNN).
// Within a phase, requests to the same resource path (not a collection) go one after the
// other, as the agent sends a group's member chunks. Prints {"ms":…,"ok":…,"failed":…}.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";

const [tenantUrl, token, concurrencyText, requestsPath, rateText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const interval = rateText === "unlimited" ? 0 : 1000 / Number(rateText);
const { phases } = JSON.parse(readFileSync(requestsPath, "utf8"));
const base = new URL(tenantUrl);
const pool = new Pool(base.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
const prefix = base.pathname.replace(/\/$/, "");
const headers = {
  authorization: `Bearer ${token}`,
  "content-type": "application/scim+json",
  accept: "application/scim+json",
};
const ids = new Map();
const swap = (text) => text.replace(/\b[ug]-\d+\b/g, (id) => ids.get(id) ?? id);
let ok = 0;
let failed = 0;
let nextSlot = 0;

/** Paced: one grant per slot, the grid never caught up in a burst after a stall. */
async function pace() {
  if (interval === 0) return;
  const now = performance.now();
  const slot = Math.max(nextSlot, now);
  nextSlot = slot + interval;
  if (slot > now) await sleep(slot - now);
}

async function send(request) {
  await pace();
  const body = request.body === undefined ? undefined : swap(JSON.stringify(request.body));
  const res = await pool.request({
    origin: base.origin,
    path: prefix + swap(request.path),
    method: request.method,
    headers,
    body,
  });
  if (res.statusCode >= 200 && res.statusCode < 300) ok += 1;
  else failed += 1;
  if (request.ref && res.statusCode === 201) ids.set(request.ref, (await res.body.json()).id);
  else await res.body.text();
}

const started = performance.now();
for (const phase of phases) {
  // Chains: a resource's requests in order; every POST to a collection on its own.
  const chains = [];
  const byPath = new Map();
  for (const request of phase) {
    if (request.method === "POST") chains.push([request]);
    else if (byPath.has(request.path)) byPath.get(request.path).push(request);
    else {
      const chain = [request];
      byPath.set(request.path, chain);
      chains.push(chain);
    }
  }
  let next = 0;
  async function worker() {
    while (next < chains.length) for (const request of chains[next++]) await send(request);
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const ms = performance.now() - started;
await pool.close();
process.stdout.write(`${JSON.stringify({ ms, ok, failed })}\n`);
