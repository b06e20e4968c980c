/**
 * What a read that reports its failure (rather than throwing it) returns: the value, or the
 * failure as classified once in http/classify.ts. Writes have their own WriteOutcome (apply/),
 * which also carries what the server says it stored.
 */
import type { Failure } from "../http/classify.js";

export type ReadResult<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & Failure);
