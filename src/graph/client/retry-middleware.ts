/**
 * The Graph client's retry step, built on our one policy (retry/): replaces the client's own
 * RetryHandler so Graph calls are retried once, by one policy. Retries 408/429/5xx and network
 * errors (a per-attempt timeout included), honouring Retry-After; never a 4xx otherwise.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { decideRetry, type RetryPolicy } from "../../retry/index.js";
import type { Clock } from "../../model/index.js";
import type { GraphLogger } from "./logger.js";
import { GraphConnectionError } from "./fetch-handler.js";

export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly logger: GraphLogger;

  private readonly timeoutMs: number;
  private readonly onResponse: ((status: number | "error") => void) | undefined;

  constructor(
    policy: RetryPolicy,
    clock: Clock,
    logger: GraphLogger,
    timeoutMs: number,
    onResponse?: (status: number | "error") => void,
  ) {
    this.policy = policy;
    this.clock = clock;
    this.logger = logger;
    this.timeoutMs = timeoutMs;
    this.onResponse = onResponse;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("RetryMiddleware needs a next middleware");
    for (let attempt = 1; ; attempt += 1) {
      let status: number | null;
      // A fresh deadline per attempt: a hung request is a network error, retried like one.
      context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
      try {
        await next.execute(context);
        status = context.response?.status ?? null;
        this.onResponse?.(status ?? "error");
        if (status !== null && status < 400) return;
      } catch (error) {
        this.onResponse?.("error");
        // An untrusted certificate or a refusing proxy: the same answer every time.
        if (error instanceof GraphConnectionError && error.permanent) throw error;
        const nowMs = this.clock.now().getTime();
        const decision = decideRetry(this.policy, { attempt, status: null, nowMs, random: Math.random() });
        if (!decision.retry) throw error;
        this.logger.debug(
          { url: urlOf(context), attempt, delayMs: decision.delayMs },
          "Graph request failed on the network; retrying",
        );
        await this.clock.sleep(decision.delayMs);
        continue;
      }
      const retryAfter = context.response?.headers.get("Retry-After");
      const nowMs = this.clock.now().getTime();
      const decision = decideRetry(this.policy, { attempt, status, retryAfter, nowMs, random: Math.random() });
      if (!decision.retry) return;
      this.logger.debug(
        { url: urlOf(context), status, attempt, delayMs: decision.delayMs },
        "Graph answered a retryable status; retrying",
      );
      await context.response?.body?.cancel().catch(() => {});
      await this.clock.sleep(decision.delayMs);
    }
  }
}

function urlOf(context: Context): string {
  const url = typeof context.request === "string" ? context.request : context.request.url;
  return url.split("?")[0] ?? url;
}
