/**
 * Sends a request through the shared pacer and concurrency limit, retrying throttled and
 * transient failures as retry/ decides (Retry-After or X-Retry-After first, else back-off with
 * jitter), a bounded number of times. 400s and the other failures are never retried.
 */
import pLimit, { type LimitFunction } from "p-limit";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy } from "../../retry/index.js";
import { classifyResult, type Failure } from "./classify.js";
import type { Clock } from "../../model/index.js";
import type { RequestPacer } from "./pacer.js";
import type { HttpRequest, Transport } from "./transport.js";

export type Executed =
  | { readonly ok: true; readonly status: number; readonly json: unknown; readonly retriedTransient: boolean }
  | { readonly ok: false; readonly failure: Failure; readonly retriedTransient: boolean };

export interface ScimLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface RunOptions {
  readonly onCollection: boolean;
  readonly expectJson: boolean;
  /**
   * False for a request that must not be sent twice blindly (a create): a transient failure
   * may have landed, so the caller looks first. Throttling (429) is still retried: the server
   * did not take the request.
   */
  readonly retryTransient?: boolean;
}

export interface RequestExecutor {
  run(request: HttpRequest, options: RunOptions): Promise<Executed>;
}

export interface ExecutorParts {
  readonly transport: Transport;
  readonly pacer: RequestPacer;
  /** The pacer's clock: retry waits pass on it too. */
  readonly clock: Clock;
  readonly concurrency: number;
  readonly retry: Pick<RetryPolicy, "maxRetries" | "baseDelayMs" | "maxDelayMs">;
  readonly logger?: ScimLogger | undefined;
  /** Told of every answer (or network failure), for request metrics. */
  readonly onResponse?: ((status: number | "error") => void) | undefined;
}

export function createExecutor(parts: ExecutorParts): RequestExecutor {
  const limit: LimitFunction = pLimit(parts.concurrency);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...parts.retry };

  async function run(request: HttpRequest, options: RunOptions): Promise<Executed> {
    let retriedTransient = false;
    for (let attempt = 1; ; attempt += 1) {
      const result = await limit(async () => {
        const release = await parts.pacer.acquire();
        try {
          return await parts.transport.send(request);
        } finally {
          release();
        }
      });
      parts.onResponse?.(result.kind === "response" ? result.status : "error");
      let failure = classifyResult(result, options.onCollection);
      if (!failure && result.kind === "response") {
        if (!options.expectJson || result.json !== undefined)
          return { ok: true, status: result.status, json: result.json, retriedTransient };
        failure = {
          kind: "fatal",
          status: result.status,
          message: `HTTP ${result.status}: expected a JSON body, got ${result.bodyProblem ?? "none"}`,
        };
      }
      if (!failure) throw new Error("unreachable: a network result always classifies as a failure");
      const retryAfter = result.kind === "response" ? result.retryAfter : null;
      if (failure.kind === "throttled") parts.pacer.throttled(parseRetryAfter(retryAfter, parts.clock.now().getTime()));
      const retryable =
        failure.kind === "throttled" || (failure.kind === "transient" && options.retryTransient !== false);
      const decision = retryable
        ? decideRetry(policy, {
            attempt,
            status: failure.status,
            retryAfter,
            nowMs: parts.clock.now().getTime(),
            random: Math.random(),
          })
        : { retry: false as const };
      if (!decision.retry) return { ok: false, failure, retriedTransient };
      if (failure.kind === "transient") retriedTransient = true;
      parts.logger?.debug(
        { method: request.method, path: request.path, status: failure.status, attempt, delayMs: decision.delayMs },
        "SCIM request retried",
      );
      await parts.clock.sleep(decision.delayMs);
    }
  }

  return { run };
}
