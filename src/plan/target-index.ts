import type { FlatAttributes } from "../model/index.js";
import { normaliseForCompare } from "./compare.js";

export interface TargetResource {
  readonly id: string;
  readonly attributes: FlatAttributes;
}

/** What Klaxoon holds, indexed once by id and by every matching path (SCIM comparison rules). */
export class TargetIndex<T extends TargetResource> {
  readonly byId: ReadonlyMap<string, T>;
  readonly #byPath = new Map<string, Map<string, T[]>>();

  constructor(targets: Iterable<T>, matchingPaths: readonly string[]) {
    const byId = new Map<string, T>();
    for (const path of matchingPaths) this.#byPath.set(path, new Map());
    for (const target of targets) {
      byId.set(target.id, target);
      for (const [path, index] of this.#byPath) {
        const key = normaliseForCompare(path, target.attributes[path]);
        if (key === null) continue;
        const bucket = index.get(String(key));
        if (bucket) bucket.push(target);
        else index.set(String(key), [target]);
      }
    }
    this.byId = byId;
  }

  find(path: string, value: string): readonly T[] {
    const key = normaliseForCompare(path, value);
    return key === null ? [] : (this.#byPath.get(path)?.get(String(key)) ?? []);
  }
}
