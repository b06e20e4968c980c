/**
 * PatchChange[] → a PatchOp body (RFC 7644 §3.5.2), one operation per change, with a path.
 * "rfc": lowercase ops, JSON booleans. "entra-legacy": capitalised ops and "True"/"False"
 * strings, as Entra sends without its SCIM-compliance flag. Member removal: RFC form uses
 * `members[value eq "id"]` paths; the legacy form a `Remove` on `members` with a value list.
 */
import type { PatchChange } from "../apply/index.js";
import type { ScimValue } from "../model/index.js";
import { UnsupportedPathError } from "./build-resource.js";
import { parsePath } from "./scim-path.js";
import type { PatchDialect } from "./settings.js";

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Op = "add" | "replace" | "remove";

export interface PatchOpBody {
  readonly schemas: readonly string[];
  readonly Operations: readonly Record<string, unknown>[];
}

export function buildPatchBody(changes: readonly PatchChange[], dialect: PatchDialect): PatchOpBody {
  const operations = changes.map((change) => {
    if (!parsePath(change.path)) throw new UnsupportedPathError(`unsupported attribute path: ${change.path}`);
    if (change.op === "remove") return { op: opName("remove", dialect), path: change.path };
    return { op: opName(change.op, dialect), path: change.path, value: wireValue(change.value, dialect) };
  });
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

export function buildMemberAddBody(memberIds: readonly string[], dialect: PatchDialect): PatchOpBody {
  return {
    schemas: [PATCH_OP_SCHEMA],
    Operations: [{ op: opName("add", dialect), path: "members", value: memberIds.map((value) => ({ value })) }],
  };
}

export function buildMemberRemoveBody(memberIds: readonly string[], dialect: PatchDialect): PatchOpBody {
  const Operations =
    dialect === "rfc"
      ? memberIds.map((id) => ({ op: "remove", path: `members[value eq ${JSON.stringify(id)}]` }))
      : [{ op: opName("remove", dialect), path: "members", value: memberIds.map((value) => ({ value })) }];
  return { schemas: [PATCH_OP_SCHEMA], Operations };
}

function opName(op: Op, dialect: PatchDialect): string {
  return dialect === "rfc" ? op : `${op.charAt(0).toUpperCase()}${op.slice(1)}`;
}

function wireValue(value: ScimValue, dialect: PatchDialect): ScimValue {
  if (dialect === "entra-legacy" && typeof value === "boolean") return value ? "True" : "False";
  return value;
}
