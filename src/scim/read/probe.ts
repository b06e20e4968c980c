/** The cycle's probe: Entra's Test Connection, with its verdict thrown as a read failure would be. */
import { randomUUID } from "node:crypto";
import { FatalError, SyncError } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { connectionVerdict } from "./connection-check.js";
import { findUserByUserName } from "./find-user-by-user-name.js";

export async function probe(context: ScimContext): Promise<void> {
  const verdict = connectionVerdict(await findUserByUserName(context, randomUUID()));
  if (verdict.ok) return;
  const message = `Klaxoon ${context.settings.tenantUrl} did not answer as it must: ${verdict.reason}`;
  // Unreachable fails this cycle (the next one tries again); the others quarantine at once, as Entra does.
  if (verdict.code === "KLAXOON_UNREACHABLE") throw new SyncError(verdict.code, message);
  throw new FatalError(verdict.code, message);
}
