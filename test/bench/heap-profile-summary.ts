/** Summarises a V8 sampling heap profile (the memory probe's): live bytes by allocating function and by our module. */
import { readFile } from "node:fs/promises";

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export async function summariseHeapProfile(path: string, top = 25): Promise<string> {
  const saved = JSON.parse(await readFile(path, "utf8")) as { atMs: number; rss: number; profile: { head: HeapNode } };
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const stacks = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, ours: string | null, trail: readonly string[]): void => {
    const { url, functionName, lineNumber } = node.callFrame;
    const match = /\/dist\/src\/(.+)\.js$/.exec(url);
    const here = match ? match[1]! : ours;
    const name = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(dist\/src\/|node_modules\/)/, "")}:${lineNumber + 1}`;
    const nextTrail = match ? [...trail, `${functionName || "(anon)"}@${match[1]}`].slice(-4) : trail;
    if (node.selfSize > 0) {
      total += node.selfSize;
      self.set(name, (self.get(name) ?? 0) + node.selfSize);
      const m = here ?? "(outside src)";
      modules.set(m, (modules.get(m) ?? 0) + node.selfSize);
      const s = nextTrail.join(" > ") || "(none)";
      stacks.set(s, (stacks.get(s) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here, nextTrail);
  };
  walk(saved.profile.head, null, []);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const rank = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([key, bytes]) => `  ${mb(bytes)}  ${key}`);
  return [
    `heap profile at ${saved.atMs} ms, RSS ${mb(saved.rss)}, sampled live ${mb(total)}`,
    "by innermost module of ours:",
    ...rank(modules, 20),
    "by allocating function:",
    ...rank(self, top),
    "by our last 4 frames:",
    ...rank(stacks, top),
  ].join("\n");
}
