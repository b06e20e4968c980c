export {
  createDispatcher,
  proxyFor,
  sharedDispatcher,
  type ConnectionSettings,
  type PoolTuning,
  type ProxyServer,
  type ProxySettings,
} from "./connection.js";
export { describeConnectionFailure, tlsProblemOf, type ConnectionFailure } from "./describe.js";
export { bypassesProxy, parseNoProxy } from "./no-proxy.js";
export { nodeAgentFor, type SystemTrustConnection } from "./node-agent.js";
