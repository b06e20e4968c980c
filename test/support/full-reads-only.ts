import type { DirectoryReader, IncrementalDirectoryReader } from "../../src/cycle/index.js";

/**
 * An incremental reader that always reads everything, for the small fakes tests use (no change
 * tracking). Its checkpoint carries nothing. Test-only, so it lives here rather than in src/.
 */
export function fullReadsOnly(reader: DirectoryReader): IncrementalDirectoryReader {
  return {
    async read(request) {
      return { snapshot: await reader.readSnapshot(request), checkpoint: {}, mode: "full", fullReadReason: null };
    },
  };
}
