import { z } from "zod";

/** The persisted form: the CLI stores it in the state file and parses it back with this schema. */
export const quarantineStateSchema = z.object({
  status: z.enum(["healthy", "quarantined", "disabled"]),
  /** ISO time the current quarantine began: the retry schedule counts from it. */
  since: z.string().nullable(),
  reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Failed cycles since quarantine began, the one that began it included. */
  failedCycles: z.number().int().min(0),
  /** Errors in a row that did not quarantine at once (see `maxConsecutiveErrors`). */
  consecutiveErrors: z.number().int().min(0),
  /** ISO time of the first of those errors. */
  failingSince: z.string().nullable(),
  /** ISO time of the next retry while quarantined; null otherwise. */
  nextAttemptAt: z.string().nullable(),
});

export type QuarantineState = z.infer<typeof quarantineStateSchema>;
export type QuarantineStatus = QuarantineState["status"];
export type QuarantineReason = NonNullable<QuarantineState["reason"]>;

/** The starting state, and what an administrator's reset returns to. */
export function healthyState(): QuarantineState {
  return {
    status: "healthy",
    since: null,
    reason: null,
    failedCycles: 0,
    consecutiveErrors: 0,
    failingSince: null,
    nextAttemptAt: null,
  };
}

/** Reads a stored value; anything unreadable starts healthy (the state is a hint, never the truth). */
export function parseQuarantineState(value: unknown): QuarantineState {
  const parsed = quarantineStateSchema.safeParse(value);
  return parsed.success ? parsed.data : healthyState();
}
