import type { TargetUser } from "./target.js";

/**
 * Which `protect:` rule covers a Klaxoon account (`protect.userNames[0] "admin@*"`), or null.
 * Compiled by scope/ at load, consulted by the planner, which never changes, deactivates or
 * removes from a group an account it covers.
 */
export interface AccountProtection {
  /** How many rules there are (0: nothing is protected). */
  readonly rules: number;
  protectedBy(user: TargetUser): string | null;
}

export const NO_PROTECTION: AccountProtection = { rules: 0, protectedBy: () => null };
