/** The Klaxoon service principal and every assignment to it (no delta exists: read in full). */
import type { AppRoleAssignment, PrincipalType, ServicePrincipalInfo } from "../../model/index.js";
import type { SnapshotRequest } from "../../cycle/index.js";
import type { GraphApi } from "../client/graph-api.js";
import { appNotFound, GraphReadError } from "../client/graph-errors.js";
import type { GraphLogger } from "../client/logger.js";
import { appRoleAssignment, collectionPage, servicePrincipal } from "../client/wire-schemas.js";

const SP_SELECT = "$select=id,appId,displayName,appRoles";

export async function readServicePrincipal(api: GraphApi, app: SnapshotRequest["app"]): Promise<ServicePrincipalInfo> {
  let raw;
  if ("servicePrincipalId" in app) {
    try {
      raw = await api.get(
        `/servicePrincipals/${encodeURIComponent(app.servicePrincipalId)}?${SP_SELECT}`,
        servicePrincipal,
      );
    } catch (error) {
      if (error instanceof GraphReadError && error.kind === "notFound")
        throw appNotFound(`servicePrincipalId ${app.servicePrincipalId}`);
      throw error;
    }
  } else {
    const filter = encodeURIComponent(`appId eq '${app.appId.replaceAll("'", "''")}'`);
    const page = await api.get(`/servicePrincipals?$filter=${filter}&${SP_SELECT}`, collectionPage);
    const found = page.value
      .map((v) => servicePrincipal.safeParse(v))
      .find((p) => p.success && p.data.appId === app.appId);
    if (!found?.success) throw appNotFound(`appId ${app.appId}`);
    raw = found.data;
  }
  return {
    id: raw.id,
    appId: raw.appId,
    displayName: raw.displayName ?? "",
    appRoles: (raw.appRoles ?? []).map((r) => ({
      id: r.id,
      value: r.value ?? null,
      displayName: r.displayName ?? null,
    })),
  };
}

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set<PrincipalType>(["User", "Group", "ServicePrincipal"]);

export async function readAssignments(
  api: GraphApi,
  servicePrincipalId: string,
  pageSize: number,
  logger: GraphLogger,
): Promise<AppRoleAssignment[]> {
  const out: AppRoleAssignment[] = [];
  const path = `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo?$top=${pageSize}`;
  for await (const item of api.items(path)) {
    const parsed = appRoleAssignment.safeParse(item);
    if (!parsed.success) {
      logger.warn({ reason: parsed.error.issues[0]?.message }, "Skipping a malformed app role assignment");
      continue;
    }
    const type = parsed.data.principalType ?? "";
    if (!PRINCIPAL_TYPES.has(type)) {
      logger.warn(
        { principalId: parsed.data.principalId, principalType: type },
        "Skipping an assignment with an unknown principal type",
      );
      continue;
    }
    out.push({
      principalId: parsed.data.principalId,
      principalType: type as PrincipalType,
      appRoleId: parsed.data.appRoleId,
    });
  }
  return out;
}
