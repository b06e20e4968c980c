/**
 * Entra scoping filters, compiled once at config load (invalid clauses throw ConfigError
 * FILTER_INVALID naming `where[group][clause]`), then evaluated per object without I/O.
 *
 * Semantics (Microsoft's "Scoping users or groups to be provisioned with scoping filters"):
 * clauses AND-ed in a filter, filters OR-ed, no filters = all in scope; string comparisons are
 * case sensitive; a null or empty value makes every clause false except IS NULL. Multi-valued
 * attributes: known ones (proxyAddresses…) are rejected at load; a list met at run time makes
 * every clause on it false. Regexes run on RE2 (linear time). Less_Than and
 * Less_Than_OR_EQUALS are our extension, and so are `memberOf IS MEMBER OF <group id>` and
 * `IS NOT MEMBER OF` (direct or `transitive`), answered by a lookup the caller builds from the
 * snapshot.
 */
export { compileScope } from "./compile-scope.js";
export {
  MEMBERSHIP_OPERATORS,
  SCOPING_OPERATORS,
  type ClauseTrace,
  type CompiledScope,
  type MembershipLookup,
  type ScopeTrace,
} from "./types.js";
export { compileProtection, type ProtectionRules } from "./compile-protection.js";
