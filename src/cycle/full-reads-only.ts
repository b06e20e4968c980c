import type { DirectoryReader, IncrementalDirectoryReader } from "./ports.js";

/**
 * An incremental reader that always reads everything: for directory sources without change
 * tracking (and the small fakes tests use). Its checkpoint carries nothing.
 */
export function fullReadsOnly(reader: DirectoryReader): IncrementalDirectoryReader {
  return {
    async read(request) {
      return { snapshot: await reader.readSnapshot(request), checkpoint: {}, mode: "full", fullReadReason: null };
    },
  };
}
