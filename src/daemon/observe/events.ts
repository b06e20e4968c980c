import type { DAEMON_EVENT_TYPES } from "../../config/index.js";
import type { QuarantineReason } from "../quarantine/quarantine-state.js";

/** What the daemon tells the outside world: counts, codes and reasons, never data or secrets. */
export type DaemonEvent =
  | {
      readonly type: "quarantineEntered";
      readonly reason: QuarantineReason;
      readonly since: string;
      readonly nextAttemptAt: string | null;
    }
  | {
      readonly type: "quarantineReasonChanged";
      readonly reason: QuarantineReason;
      readonly nextAttemptAt: string | null;
    }
  | { readonly type: "quarantineLeft"; readonly since: string | null }
  | { readonly type: "disabled"; readonly reason: QuarantineReason; readonly since: string | null }
  | {
      readonly type: "guardHeld";
      readonly held: number;
      readonly deactivations: number;
      readonly reason: string | null;
    }
  | {
      readonly type: "cycleFailures";
      readonly failed: number;
      readonly attempted: number;
      readonly byStatus: Readonly<Record<string, number>>;
    };

export type DaemonEventType = DaemonEvent["type"];

/** The config lists the types a webhook may subscribe to; this fails to compile if the two lists part. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const configListsEveryEvent: SameMembers<DaemonEventType, (typeof DAEMON_EVENT_TYPES)[number]> = true;
void configListsEveryEvent;

export function describeEvent(event: DaemonEvent): string {
  switch (event.type) {
    case "quarantineEntered":
      return `Provisioning to Klaxoon is in quarantine (${event.reason.code}): ${event.reason.message}. Next attempt: ${event.nextAttemptAt ?? "none"}.`;
    case "quarantineReasonChanged":
      return (
        `Provisioning to Klaxoon is still in quarantine, for a new reason (${event.reason.code}): ` +
        `${event.reason.message}. Next attempt: ${event.nextAttemptAt ?? "none"}.`
      );
    case "quarantineLeft":
      return "Provisioning to Klaxoon left quarantine: the last cycle was healthy.";
    case "disabled":
      return (
        `Provisioning to Klaxoon is disabled after too long in quarantine (${event.reason.code}): ` +
        `${event.reason.message}. An administrator must fix the cause and reset the quarantine.`
      );
    case "guardHeld":
      return (
        `The deletion guard held ${event.held} deactivations back ` +
        `(${event.deactivations} planned${event.reason === null ? "" : `: ${event.reason}`}). ` +
        "An administrator must allow or reject them."
      );
    case "cycleFailures": {
      const statuses = Object.entries(event.byStatus)
        .map(([status, count]) => `${count} ${status}`)
        .join(", ");
      return `A provisioning cycle finished with ${event.failed} of ${event.attempted} operations failed (${statuses}); they are retried next cycle.`;
    }
  }
}
