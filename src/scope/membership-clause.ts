/**
 * `memberOf IS MEMBER OF <group id>` and `IS NOT MEMBER OF`: scoping by group membership, our
 * extension (Entra's filters cannot look at groups). The group is named by its object id, which
 * never changes, unlike a display name; membership is answered from the cycle's snapshot.
 */
import {
  MEMBERSHIP_OPERATORS,
  type MembershipLookup,
  type MembershipOperator,
  type MembershipReference,
  type ScopingClause,
} from "./types.js";

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MEMBERSHIP_ATTRIBUTE = "memberOf";

export function isMembershipOperator(operator: string): operator is MembershipOperator {
  return (MEMBERSHIP_OPERATORS as readonly string[]).includes(operator);
}

export interface MembershipTest {
  readonly reference: MembershipReference;
  readonly test: (memberOf: MembershipLookup | undefined) => boolean;
}

/** The clause → its test, or the reason it is invalid (thrown as a string, like compileClause). */
export function compileMembershipClause(
  clause: ScopingClause & { readonly operator: MembershipOperator },
): MembershipTest {
  if (clause.attribute.toLowerCase() !== MEMBERSHIP_ATTRIBUTE.toLowerCase()) {
    throw `operator "${clause.operator}" applies to the attribute "${MEMBERSHIP_ATTRIBUTE}" only, not "${clause.attribute}"`;
  }
  const value = clause.value ?? "";
  if (!GROUP_ID.test(value))
    throw `operator "${clause.operator}" needs a group object id (a GUID such as 0b3c2f7e-…), but got "${value}"`;
  const transitive: unknown = clause.transitive ?? false;
  if (typeof transitive !== "boolean") throw `"transitive" must be true or false`;
  const reference = { groupId: value.toLowerCase(), transitive };
  const negate = clause.operator === "IS NOT MEMBER OF";
  return { reference, test: (memberOf) => (memberOf?.(reference.groupId, transitive) ?? false) !== negate };
}
