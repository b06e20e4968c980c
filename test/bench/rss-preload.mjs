// Preloaded into the agent (`node --import`): on exit, writes the process's peak RSS (KiB,
// from getrusage) to the file named by BENCH_RSS_FILE. Measurement only; changes nothing else.
import { writeFileSync } from "node:fs";

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    try {
      writeFileSync(target, String(process.resourceUsage().maxRSS));
    } catch {
      // a failed measurement must not change the agent's exit code
    }
  });
}
