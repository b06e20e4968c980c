import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints each project's wall time (first file started to last file ended: the projects run
 * side by side) and one plain closing line, "tests: N passed, N failed", that CI systems which
 * do not know vitest's own summary can read.
 */
export default class SummaryReporter implements Reporter {
  readonly #spans = new Map<string, { start: number; end: number; files: number }>();

  onTestModuleStart(testModule: TestModule): void {
    const name = testModule.project.name || "default";
    const now = performance.now();
    const span = this.#spans.get(name) ?? { start: now, end: now, files: 0 };
    this.#spans.set(name, { ...span, start: Math.min(span.start, now) });
  }

  onTestModuleEnd(testModule: TestModule): void {
    const name = testModule.project.name || "default";
    const now = performance.now();
    const span = this.#spans.get(name) ?? { start: now, end: now, files: 0 };
    this.#spans.set(name, { start: span.start, end: Math.max(span.end, now), files: span.files + 1 });
  }

  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
      if (module.state() === "failed" && module.children.size === 0) failed += 1;
    }
    const spans = [...this.#spans].map(
      ([name, s]) => `${name} ${((s.end - s.start) / 1000).toFixed(1)} s (${s.files} files)`,
    );
    if (spans.length > 1) process.stdout.write(`\nproject wall times: ${spans.join(", ")}`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
  }
}
