// Summarises a .heapsnapshot: self size by node type and name (what the heap is made of), and
// retained size of the largest objects via a dominator tree. Diagnosis only:
// `node test/bench/heap-snapshot-summary.mjs file.heapsnapshot`.
import { readFileSync } from "node:fs";

const snap = JSON.parse(readFileSync(process.argv[2], "utf8"));
const meta = snap.snapshot.meta;
const nf = meta.node_fields.length;
const ef = meta.edge_fields.length;
const types = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const [T, N, , S, EC] = [0, 1, 2, 3, 4];
const nodes = snap.nodes;
const edges = snap.edges;
const strings = snap.strings;
const count = nodes.length / nf;
const byKind = new Map();
let total = 0;
for (let i = 0; i < count; i += 1) {
  const type = types[nodes[i * nf + T]];
  const name =
    type === "string" || type === "concatenated string" || type === "sliced string" ? "" : strings[nodes[i * nf + N]];
  const key = `${type} ${name}`.slice(0, 80);
  const size = nodes[i * nf + S];
  total += size;
  const e = byKind.get(key) ?? [0, 0];
  e[0] += size;
  e[1] += 1;
  byKind.set(key, e);
}
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
console.log(`total ${mb(total)} in ${count} nodes`);
for (const [k, [size, n]] of [...byKind].sort((a, b) => b[1][0] - a[1][0]).slice(0, 30))
  console.log(`  ${mb(size).padStart(9)} ${String(n).padStart(8)}  ${k}`);

// Retained sizes: a simple iterative dominator computation (Cooper et al.) over strong edges.
const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i += 1) {
  firstEdge[i] = e;
  e += nodes[i * nf + EC] * ef;
  firstEdge[i + 1] = e;
}
const toIndex = (edgeIdx) => edges[edgeIdx + 2] / nf;
const weak = edgeTypes.indexOf("weak");
const shortcut = edgeTypes.indexOf("shortcut");
const order = new Int32Array(count).fill(-1);
const post = [];
const stack = [0];
const iter = new Uint32Array(count);
order[0] = 0;
const visited = new Uint8Array(count);
visited[0] = 1;
while (stack.length) {
  const v = stack[stack.length - 1];
  const e = firstEdge[v] + iter[v] * ef;
  if (e < firstEdge[v + 1]) {
    iter[v] += 1;
    const t = edges[e];
    if (t === weak || t === shortcut) continue;
    const w = toIndex(e);
    if (!visited[w]) {
      visited[w] = 1;
      stack.push(w);
    }
  } else {
    stack.pop();
    post.push(v);
  }
}
const po = new Int32Array(count).fill(-1);
post.forEach((v, i) => {
  po[v] = i;
});
const preds = Array.from({ length: count }, () => []);
for (let v = 0; v < count; v += 1) {
  if (!visited[v]) continue;
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) {
    const t = edges[e];
    if (t === weak || t === shortcut) continue;
    preds[toIndex(e)].push(v);
  }
}
const idom = new Int32Array(count).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (po[a] < po[b]) a = idom[a];
    while (po[b] < po[a]) b = idom[b];
  }
  return a;
};
let changed = true;
while (changed) {
  changed = false;
  for (let i = post.length - 1; i >= 0; i -= 1) {
    const v = post[i];
    if (v === 0) continue;
    let d = -1;
    for (const p of preds[v]) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
    if (d !== -1 && idom[v] !== d) {
      idom[v] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(count);
for (const v of post) {
  retained[v] += nodes[v * nf + S];
  if (v !== 0) retained[idom[v]] += retained[v];
}
// The biggest retainers that are not the root or synthetic roots, with the edge name that holds them.
const edgeName = new Map();
for (let v = 0; v < count; v += 1)
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) {
    const w = toIndex(e);
    if (idom[w] === v && !edgeName.has(w)) {
      const t = edgeTypes[edges[e]];
      edgeName.set(w, t === "element" || t === "hidden" ? `[${edges[e + 1]}]` : strings[edges[e + 1]]);
    }
  }
const describe = (v) => `${types[nodes[v * nf + T]]} ${String(strings[nodes[v * nf + N]]).slice(0, 50)}`;
const path = (v) => {
  const parts = [];
  for (let x = v, k = 0; x !== 0 && k < 6; x = idom[x], k += 1) parts.push(`${edgeName.get(x) ?? "?"}`);
  return parts.reverse().join(".");
};
const top = [...Array(count).keys()]
  .filter((v) => v !== 0 && types[nodes[v * nf + T]] !== "synthetic" && retained[v] > 1048576)
  .sort((a, b) => retained[b] - retained[a])
  .slice(0, 60);
console.log("largest retained (over 1 MB):");
for (const v of top) console.log(`  ${mb(retained[v]).padStart(9)}  ${describe(v)}  <- ${path(v)}`);
