export { buildPlan, type KindInput } from "./build-plan.js";
export type { DesiredObject } from "./plan-resources.js";
export type { GuardSettings } from "./guard.js";
export { digestValue, type DroppedAttributes } from "./dropped-attributes.js";
export { sameValue } from "./compare.js";
export { renderPlanText } from "./render-text.js";
export { serialisePlan } from "./serialise.js";
export * from "./types.js";
export { TargetIndex } from "./target-index.js";
