import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files known to take longest start first, whatever vitest's cache says (a clean clone has
 * none, and then vitest orders by file size, which would start the small soak files last and
 * leave the run waiting for them at the end). The rest keep vitest's own order.
 */
const SLOWEST_FIRST: readonly RegExp[] = [
  /test\/reliability\/soak-/,
  /test\/docker\//,
  /test\/graph\/(incremental-)?scale\.test\.ts$/,
  /test\/reliability\/fault-matrix-/,
  /test\/scim\/client-rate-limit\.test\.ts$/,
  /test\/security\/secret-channels/,
  /test\/e2e\//,
];

const rank = (spec: TestSpecification): number => {
  const at = SLOWEST_FIRST.findIndex((pattern) => pattern.test(spec.moduleId.replaceAll("\\", "/")));
  return at === -1 ? SLOWEST_FIRST.length : at;
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
