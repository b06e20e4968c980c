// Preloaded into the agent (`node --import`) by memory-probe.ts, for diagnosis only: samples
// process.memoryUsage() every 20 ms and, on exit, writes the peaks and the timeline to
// BENCH_MEM_FILE. With BENCH_HEAP_PROFILE_FILE it also runs V8's sampling heap profiler and saves
// its profile each time RSS passes a new peak by 10 MB: the last one saved shows which
// allocations were live at (about) the peak. Changes nothing the agent does.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { writeHeapSnapshot } from "node:v8";

const memFile = process.env.BENCH_MEM_FILE;
const profileFile = process.env.BENCH_HEAP_PROFILE_FILE;
// BENCH_HEAP_SNAPSHOT=<file>:<MB>: one heap snapshot the first time RSS passes that many MB.
const [snapshotFile, snapshotMb] = (process.env.BENCH_HEAP_SNAPSHOT ?? "").split(":");
let snapshotTaken = false;
const marks = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  marks.push([Math.round(performance.now() - started), "stdout", chunk.length]);
  return write(chunk, ...rest);
};
const started = performance.now();
const timeline = [];
const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
let session = null;
let profiledAt = 0;
let lastProfile = null;

if (profileFile) {
  session = new Session();
  session.connect();
  session.post("HeapProfiler.startSampling", { samplingInterval: 16384 });
}

function sample() {
  const m = process.memoryUsage();
  for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], m[key]);
  timeline.push([Math.round(performance.now() - started), m.rss, m.heapUsed, m.external, m.arrayBuffers]);
  if (snapshotFile && !snapshotTaken && m.rss > Number(snapshotMb) * 1024 * 1024) {
    snapshotTaken = true;
    marks.push([Math.round(performance.now() - started), "snapshot", m.rss]);
    writeHeapSnapshot(snapshotFile);
  }
  if (session && m.rss > profiledAt + 10 * 1024 * 1024) {
    profiledAt = m.rss;
    session.post("HeapProfiler.getSamplingProfile", (error, result) => {
      if (!error) lastProfile = { atMs: Math.round(performance.now() - started), rss: m.rss, profile: result.profile };
    });
  }
}

if (memFile || profileFile || snapshotFile) {
  setInterval(sample, 20).unref();
  process.on("exit", () => {
    try {
      sample();
      if (memFile)
        writeFileSync(memFile, JSON.stringify({ peak, maxRssKb: process.resourceUsage().maxRSS, marks, timeline }));
      if (profileFile && lastProfile) writeFileSync(profileFile, JSON.stringify(lastProfile));
    } catch {
      // a failed measurement must not change the agent's exit code
    }
  });
}
