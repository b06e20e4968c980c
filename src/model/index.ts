export * from "./errors.js";
export * from "./directory.js";
export * from "./target.js";
export * from "./loopback.js";
