import type { GuardVerdict } from "./types.js";

export interface GuardSettings {
  /** Deactivations above this count in one cycle are held (Entra's accidental-deletions threshold). */
  readonly maxDeactivations: number;
  /** Also hold when deactivations exceed this share of the managed accounts. */
  readonly maxDeactivationPercent?: number | undefined;
  /** An administrator's one-time approval of whatever this cycle would deactivate. */
  readonly allow: boolean;
}

export interface GuardFacts {
  readonly deactivations: number;
  readonly managedAccounts: number;
  /** In-scope users after reading Graph; zero with managed accounts is the classic empty read. */
  readonly desiredUsers: number;
}

export function evaluateGuard(settings: GuardSettings, facts: GuardFacts): GuardVerdict {
  const reason = guardReason(settings, facts);
  if (reason === null || settings.allow) return { held: false, deactivations: facts.deactivations, reason: null };
  return { held: true, deactivations: facts.deactivations, reason };
}

function guardReason(settings: GuardSettings, facts: GuardFacts): string | null {
  const { deactivations, managedAccounts, desiredUsers } = facts;
  if (deactivations === 0) return null;
  if (desiredUsers === 0) {
    return `Graph returned no in-scope users while ${managedAccounts} accounts are managed; ${deactivations} deactivations held`;
  }
  if (deactivations > settings.maxDeactivations) {
    return `${deactivations} deactivations exceed the threshold of ${settings.maxDeactivations}`;
  }
  const percent = settings.maxDeactivationPercent;
  if (percent !== undefined && managedAccounts > 0 && (deactivations / managedAccounts) * 100 > percent) {
    const share = ((deactivations / managedAccounts) * 100).toFixed(1);
    return `${deactivations} deactivations are ${share}% of ${managedAccounts} managed accounts, above the ${percent}% threshold`;
  }
  return null;
}
