import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, decideRetry } from "../../src/retry/index.js";
import { backoffDelay, parseRetryAfter } from "../../src/retry/policy.js";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    ["seconds", "3", 3000],
    ["fractional seconds", "0.5", 500],
    ["an HTTP-date in the future", "Thu, 01 Jan 2026 00:00:10 GMT", 10_000],
    ["an HTTP-date in the past", "Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["garbage", "soon", null],
    ["absent", undefined, null],
    ["empty", "", null],
  ] as const)("reads %s", (_name, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("decideRetry", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 5_000 };
  it.each([
    [
      "429 with Retry-After waits that long",
      { attempt: 1, status: 429, retryAfter: "2" },
      { retry: true, delayMs: 2000 },
    ],
    [
      "Retry-After is capped by maxDelayMs",
      { attempt: 1, status: 503, retryAfter: "600" },
      { retry: true, delayMs: 5000 },
    ],
    ["a 400 is never retried", { attempt: 1, status: 400 }, { retry: false }],
    ["a 404 is never retried", { attempt: 1, status: 404 }, { retry: false }],
    ["a 401 is never retried", { attempt: 1, status: 401 }, { retry: false }],
    ["attempts beyond maxRetries stop", { attempt: 4, status: 429, retryAfter: "1" }, { retry: false }],
    ["a network error backs off", { attempt: 1, status: null }, { retry: true, delayMs: 100 }],
  ] as const)("%s", (_name, input, expected) => {
    expect(decideRetry(policy, { ...input, nowMs: now, random: 0 })).toEqual(expected);
  });

  it("backs off exponentially with jitter, within bounds", () => {
    expect(backoffDelay(policy, 1, 0.99)).toBe(100);
    expect(backoffDelay(policy, 3, 0)).toBe(100);
    expect(backoffDelay(policy, 3, 1)).toBe(400);
    expect(backoffDelay(policy, 30, 1)).toBe(5000);
  });
});
