export { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from "./policy.js";
export type { RetryPolicy } from "./policy.js";
export { recoverRate, slowDownRate, startRate } from "./adaptive-rate.js";
export type { AdaptiveRate, RateLimit } from "./adaptive-rate.js";
