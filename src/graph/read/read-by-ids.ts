/**
 * Users by id: `$batch` of 20 GETs with `$select`, several batches in flight, inner 429/5xx
 * retried by our policy (the client never sees inside a batch); or, for many ids, one listing
 * of every user filtered locally (a few hundred pages instead of thousands of batches).
 */
import { forEachConcurrent } from "../../model/index.js";
import { decideRetry, type RetryPolicy } from "../../retry/index.js";
import type { GraphApi } from "../client/graph-api.js";
import { toGraphError } from "../client/graph-errors.js";
import type { GraphLogger } from "../client/logger.js";
import type { Clock } from "../../model/index.js";
import { graphErrorBody, type BatchItemResponse } from "../client/wire-schemas.js";

export interface ByIdReadOptions {
  readonly concurrency: number;
  readonly policy: RetryPolicy;
  /** Retry waits and Retry-After dates. */
  readonly clock: Clock;
  readonly logger: GraphLogger;
}

/** Reads `/{collection}/{id}?{query}` for each id; absent ids (404) are left out of the result. */
export async function readByIds(
  api: GraphApi,
  collection: "users" | "groups",
  ids: readonly string[],
  query: string,
  options: ByIdReadOptions,
): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  await forEachConcurrent(chunk(ids, 20), options.concurrency, async (batchIds) => {
    let pending = batchIds;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const answers = await api.batch(
        pending.map((id, index) => ({ id: String(index), url: `/${collection}/${encodeURIComponent(id)}?${query}` })),
      );
      const retry: string[] = [];
      let delayMs = 0;
      for (const answer of answers) {
        const id = pending[Number(answer.id)];
        if (id === undefined) continue;
        if (answer.status === 200) {
          found.set(id, answer.body);
        } else if (answer.status === 404) {
          options.logger.warn(
            { id, collection },
            "Object assigned or listed as a member no longer exists; leaving it out",
          );
        } else {
          const retryAfter = header(answer, "retry-after");
          const nowMs = options.clock.now().getTime();
          const decision = decideRetry(options.policy, {
            attempt,
            status: answer.status,
            retryAfter,
            nowMs,
            random: Math.random(),
          });
          if (!decision.retry) throw itemError(collection, id, answer);
          retry.push(id);
          delayMs = Math.max(delayMs, decision.delayMs);
        }
      }
      const answered = new Set(answers.map((a) => a.id));
      for (const [index, id] of pending.entries()) {
        if (answered.has(String(index))) continue;
        const nowMs = options.clock.now().getTime();
        const decision = decideRetry(options.policy, { attempt, status: null, nowMs, random: Math.random() });
        if (!decision.retry) throw itemError(collection, id, undefined);
        retry.push(id);
        delayMs = Math.max(delayMs, decision.delayMs);
      }
      if (retry.length > 0) {
        options.logger.debug(
          { collection, count: retry.length, attempt, delayMs },
          "Retrying throttled or failed $batch items",
        );
        await options.clock.sleep(delayMs);
      }
      pending = retry;
    }
  });
  return found;
}

function header(answer: BatchItemResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(answer.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

function itemError(collection: string, id: string, answer: BatchItemResponse | undefined) {
  const body = graphErrorBody.safeParse(answer?.body);
  const code = body.success ? (body.data.error.code ?? null) : null;
  const message = body.success ? (body.data.error.message ?? "") : "no answer for this $batch item";
  return toGraphError(`/${collection}/${id}`, answer?.status ?? null, code, message);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
