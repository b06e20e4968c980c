/** Summarises a V8 `.cpuprofile`: top self-time functions, and time per agent module (phase). */
import { readFile } from "node:fs/promises";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly topSelf: readonly { name: string; ms: number; pct: number }[];
  /** Each sample charged to the innermost frame of our code (dist/src/<module>), else to its kind. */
  readonly byModule: readonly { module: string; ms: number; pct: number }[];
}

export async function summariseProfile(path: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const node = byId.get(id)!;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const module = moduleOf(id, byId, parent);
    modules.set(module, (modules.get(module) ?? 0) + ms);
  });
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    topSelf: rank(self)
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, pct: (100 * ms) / total })),
    byModule: rank(modules).map(([module, ms]) => ({ module, ms, pct: (100 * ms) / total })),
  };
}

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, "").replace(/^.*\/(dist\/src\/|node_modules\/)/, "$1");
  return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`.trim();
}

function moduleOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  let current: number | undefined = id;
  let firstPackage: string | null = null;
  while (current !== undefined) {
    const frame = byId.get(current)!.callFrame;
    const ours = /\/dist\/src\/([^/]+)\//.exec(frame.url) ?? /\/dist\/src\/(main)\.js/.exec(frame.url);
    if (ours) return firstPackage ? `src/${ours[1]} (via ${firstPackage})` : `src/${ours[1]}`;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame.url);
    if (pkg && firstPackage === null) firstPackage = pkg[1]!;
    current = parent.get(current);
  }
  const leaf = byId.get(id)!.callFrame.functionName;
  if (leaf === "(garbage collector)" || leaf === "(idle)" || leaf === "(program)") return leaf;
  return firstPackage ? `${firstPackage} (outside src)` : "node internals / module loading";
}
