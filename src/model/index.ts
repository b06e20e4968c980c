export * from "./errors.js";
export * from "./directory.js";
export * from "./target.js";
export * from "./loopback.js";
export * from "./large-record.js";
export * from "./for-each-concurrent.js";
export * from "./warning-codes.js";
export { systemClock, type Clock } from "./clock.js";
export * from "./protection.js";
