/**
 * Fault injection for the Klaxoon emulator, set by tests at any time: the rate limit (429 over
 * a 1-second sliding window), users whose consent is pending (409), and rules that answer 5xx,
 * reset the connection, add latency, or answer malformed or oversized bodies. Fractions draw from a seeded generator.
 * Attributes can also be dropped: accepted on writes, answered with success, never stored.
 */
import { createRandom, type Random } from "../../fixtures/random.js";
import { pathKeys, type DroppingResource } from "./dropped-attributes.js";

export interface RateLimit {
  /** Requests admitted per 1-second sliding window; more get 429. */
  readonly requestsPerSecond: number;
  /** Seconds sent with a 429 (omit for no header). */
  readonly retryAfterSeconds?: number;
  /** Which header carries it (default `Retry-After`). */
  readonly retryAfterHeader?: "Retry-After" | "X-Retry-After";
}

export interface FaultRule {
  readonly method?: string;
  /** Matched against the path below the Tenant URL (`/Users`, `/Groups/g-000001`). */
  readonly path?: string | RegExp;
  /** Status to answer (500, 502, 503…). Omit for a latency-only or reset rule. */
  readonly status?: number;
  /** Destroy the socket instead of answering. */
  readonly reset?: boolean;
  /** Handle the request, then destroy the socket instead of sending the answer (a lost response). */
  readonly dropResponse?: boolean;
  /** Answer 200 with a body that is not valid JSON (cut off mid-object). */
  readonly malformedJson?: boolean;
  /** Answer 200 with a JSON body padded to this many bytes (far larger than any real page). */
  readonly oversizeBytes?: number;
  /** Let this many matching requests through untouched first (to strike mid-cycle). */
  readonly skip?: number;
  /** Fail this fraction of matching requests (seeded). */
  readonly fraction?: number;
  /** Inject at most this many faults, then stop. On a latency-only rule: delay at most this many requests. */
  readonly count?: number;
  readonly latencyMs?: number;
}

export type FaultAction =
  | { readonly kind: "none"; readonly latencyMs: number }
  | { readonly kind: "status"; readonly status: number; readonly latencyMs: number }
  | { readonly kind: "reset"; readonly latencyMs: number }
  | { readonly kind: "drop"; readonly latencyMs: number }
  | { readonly kind: "malformed"; readonly latencyMs: number }
  | { readonly kind: "oversize"; readonly bytes: number; readonly latencyMs: number };

interface RuleState {
  readonly rule: FaultRule;
  seen: number;
  injected: number;
}

export class KlaxoonFaults {
  rateLimit: RateLimit | null = null;
  /** userNames (case-insensitive) whose every request gets 409 "User confirmation pending". */
  readonly pendingUserNames = new Set<string>();
  #rules: RuleState[] = [];
  readonly #dropped: Record<DroppingResource, Set<string>> = { Users: new Set(), Groups: new Set() };
  #random: Random;
  #admitted: number[] = [];
  #throttled = 0;

  constructor(seed = 7) {
    this.#random = createRandom(seed);
  }

  add(rule: FaultRule): void {
    this.#rules.push({ rule, seen: 0, injected: 0 });
  }

  clear(): void {
    this.#rules = [];
    this.rateLimit = null;
    this.pendingUserNames.clear();
    this.#dropped.Users.clear();
    this.#dropped.Groups.clear();
  }

  /** From now on, writes to `path` answer success and leave what the resource held (`name.familyName`, `urn:…:Group:license`). */
  dropAttribute(path: string, resource: DroppingResource = "Users"): void {
    pathKeys(path); // refuses a path the emulator cannot drop, at once rather than on the first write
    this.#dropped[resource].add(path);
  }

  /** Stores `path` again on later writes. */
  keepAttribute(path: string, resource: DroppingResource = "Users"): void {
    this.#dropped[resource].delete(path);
  }

  droppedPaths(resource: DroppingResource): ReadonlySet<string> {
    return this.#dropped[resource];
  }

  setPending(...userNames: string[]): void {
    for (const name of userNames) this.pendingUserNames.add(name.toLowerCase());
  }

  isPending(userName: unknown): boolean {
    return typeof userName === "string" && this.pendingUserNames.has(userName.toLowerCase());
  }

  /** How many 429s the rate limit has answered. */
  get throttledCount(): number {
    return this.#throttled;
  }

  injectedCounts(): number[] {
    return this.#rules.map((r) => r.injected);
  }

  /** True when the request must be answered 429; otherwise it counts against the window. */
  throttle(nowMs: number): boolean {
    if (!this.rateLimit) return false;
    while (this.#admitted.length > 0 && nowMs - (this.#admitted[0] ?? 0) >= 1000) this.#admitted.shift();
    if (this.#admitted.length >= this.rateLimit.requestsPerSecond) {
      this.#throttled += 1;
      return true;
    }
    this.#admitted.push(nowMs);
    return false;
  }

  decide(method: string, path: string): FaultAction {
    let latencyMs = 0;
    for (const state of this.#rules) {
      const { rule } = state;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined && !(typeof rule.path === "string" ? rule.path === path : rule.path.test(path)))
        continue;
      state.seen += 1;
      if (rule.skip !== undefined && state.seen <= rule.skip) continue;
      const answers =
        rule.status !== undefined ||
        rule.reset ||
        rule.dropResponse ||
        rule.malformedJson ||
        rule.oversizeBytes !== undefined;
      if (!answers) {
        // A latency-only rule: `count` (when set) bounds how many requests it slows down.
        if (rule.count !== undefined && state.injected >= rule.count) continue;
        if (rule.count !== undefined) state.injected += 1;
        latencyMs += rule.latencyMs ?? 0;
        continue;
      }
      latencyMs += rule.latencyMs ?? 0;
      if (rule.count !== undefined && state.injected >= rule.count) continue;
      if (rule.fraction !== undefined && this.#random.next() >= rule.fraction) continue;
      state.injected += 1;
      if (rule.reset) return { kind: "reset", latencyMs };
      if (rule.dropResponse) return { kind: "drop", latencyMs };
      if (rule.malformedJson) return { kind: "malformed", latencyMs };
      if (rule.oversizeBytes !== undefined) return { kind: "oversize", bytes: rule.oversizeBytes, latencyMs };
      return { kind: "status", status: rule.status ?? 500, latencyMs };
    }
    return { kind: "none", latencyMs };
  }
}
