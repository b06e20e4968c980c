/**
 * `GET /Users?filter=userName eq "…"` (what Entra's Test Connection sends): the user, null when
 * absent. The failure comes back as a value, for test-connection to explain rather than throw.
 */
import type { TargetUser } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { eqFilter } from "../resources/filter.js";
import { listResponseSchema } from "../resources/wire.js";
import { malformed } from "./read-errors.js";
import type { ReadResult } from "./read-result.js";
import { toTargetUser } from "./to-target.js";

/** What is read of the user when the caller names no paths: enough to tell who it is. */
export const IDENTIFYING_USER_PATHS = ["userName", "externalId", "active"] as const;

export async function findUserByUserName(
  context: ScimContext,
  userName: string,
  paths: readonly string[] = IDENTIFYING_USER_PATHS,
): Promise<ReadResult<TargetUser | null>> {
  const executed = await context.executor.run(
    { method: "GET", path: "/Users", query: { filter: eqFilter("userName", userName), startIndex: 1, count: 2 } },
    { onCollection: true, expectJson: true },
  );
  if (!executed.ok) return { ok: false, ...executed.failure };
  try {
    const users = listedResources(executed.json, "GET /Users").map((item) => toTargetUser(item, paths, "GET /Users"));
    if (users.length > 1) {
      return { ok: false, kind: "conflict", status: 200, message: `${users.length} users match userName` };
    }
    return { ok: true, value: users[0] ?? null };
  } catch (error) {
    const message = error instanceof Error ? error.message : "unexpected response";
    return { ok: false, kind: "fatal", status: 200, message };
  }
}

function listedResources(json: unknown, what: string): unknown[] {
  const page = listResponseSchema.safeParse(json);
  if (!page.success) throw malformed(what, "not a ListResponse");
  return page.data.Resources ?? [];
}
