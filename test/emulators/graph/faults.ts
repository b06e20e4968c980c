/**
 * Fault injection, set by tests: each rule matches requests (method, path pattern, inner
 * $batch items or outer requests) and decides, per match, whether to answer an error instead.
 * Deterministic: fractions draw from a seeded generator.
 */
import { createRandom, type Random } from "../../fixtures/random.js";

export interface FaultRule {
  /** Matched against the path without the query (`/v1.0/servicePrincipals/…/appRoleAssignedTo`). */
  path?: string | RegExp;
  method?: string;
  /** "outer": only real HTTP requests; "inner": only $batch items; default both. */
  scope?: "outer" | "inner" | "both";
  /** Status to answer (429, 500, 503, …). Omit for a latency-only rule. */
  status?: number;
  /** Retry-After header value in seconds (omit for none). */
  retryAfter?: number;
  /** Graph error code in the body. */
  code?: string;
  /** Fail this fraction of matching requests (seeded). */
  fraction?: number;
  /** Inject at most this many faults, then stop. */
  count?: number;
  /** Fail only the Nth matching request (1-based)… */
  nth?: number;
  /** …and every later one too (a permanent failure from the Nth on). */
  permanent?: boolean;
  /** Delay the answer (a rule with no status only delays). */
  latencyMs?: number;
  /** Answer 200 with an empty list (`value: []`, no nextLink) instead of the real page. */
  emptyList?: boolean;
}

export interface FaultDecision {
  readonly status?: number;
  readonly retryAfter?: number;
  readonly code?: string;
  readonly latencyMs: number;
  readonly emptyList?: boolean;
}

interface RuleState {
  readonly rule: FaultRule;
  seen: number;
  injected: number;
}

export class FaultInjector {
  private rules: RuleState[] = [];
  private random: Random;

  constructor(seed = 42) {
    this.random = createRandom(seed);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0, injected: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** How many faults each rule has injected so far, in insertion order. */
  injectedCounts(): number[] {
    return this.rules.map((r) => r.injected);
  }

  /** Count, nth and fraction gate both the error and the latency of a rule. */
  decide(method: string, path: string, inner: boolean): FaultDecision | null {
    let latencyMs = 0;
    for (const state of this.rules) {
      const { rule } = state;
      if (!matches(rule, method, path, inner)) continue;
      state.seen += 1;
      if (rule.count !== undefined && state.injected >= rule.count) continue;
      if (rule.nth !== undefined && (rule.permanent ? state.seen < rule.nth : state.seen !== rule.nth)) continue;
      if (rule.fraction !== undefined && this.random.next() >= rule.fraction) continue;
      state.injected += 1;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.status !== undefined)
        return { status: rule.status, retryAfter: rule.retryAfter, code: rule.code, latencyMs };
      if (rule.emptyList === true) return { emptyList: true, latencyMs };
    }
    return latencyMs > 0 ? { latencyMs } : null;
  }
}

function matches(rule: FaultRule, method: string, path: string, inner: boolean): boolean {
  const scope = rule.scope ?? "both";
  if ((scope === "outer" && inner) || (scope === "inner" && !inner)) return false;
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === "string" ? path === rule.path : rule.path.test(path);
}
