/**
 * PatchChange[] → a PatchOp body (RFC 7644 §3.5.2), one operation per change, with a path.
 * "rfc": lowercase ops, JSON booleans. "entra-legacy": capitalised ops and "True"/"False"
 * strings, as Entra sends without its SCIM-compliance flag. Member removal: RFC form uses
 * `members[value eq "id"]` paths; the legacy form a `Remove` on `members` with a value list.
 */
import type { MemberChange, PatchChange } from "../../apply/index.js";
import type { ScimValue } from "../../model/index.js";
import { UnsupportedPathError } from "./build-resource.js";
import { parsePath } from "./scim-path.js";
import type { PatchDialect } from "../settings.js";

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

/** One PatchOp for one group: the removals first, then one `add` with the new members. */
export function buildMemberChangeBody(change: MemberChange, dialect: PatchDialect): PatchOpBody {
  const removals =
    change.remove.length === 0
      ? []
      : dialect === "rfc"
        ? change.remove.map((id) => ({ op: "remove", path: `members[value eq ${JSON.stringify(id)}]` }))
        : [{ op: opName("remove", dialect), path: "members", value: change.remove.map((value) => ({ value })) }];
  const additions =
    change.add.length === 0
      ? []
      : [{ op: opName("add", dialect), path: "members", value: change.add.map((value) => ({ value })) }];
  return { schemas: [PATCH_OP_SCHEMA], Operations: [...removals, ...additions] };
}

/** Splits a member change into pieces of at most `size` member values each, removals first. */
export function chunkMemberChange(change: MemberChange, size: number): MemberChange[] {
  const all = [
    ...change.remove.map((id) => ({ id, remove: true })),
    ...change.add.map((id) => ({ id, remove: false })),
  ];
  const chunks: MemberChange[] = [];
  for (let start = 0; start < all.length; start += size) {
    const slice = all.slice(start, start + size);
    chunks.push({
      remove: slice.filter((m) => m.remove).map((m) => m.id),
      add: slice.filter((m) => !m.remove).map((m) => m.id),
    });
  }
  return chunks;
}

function opName(op: Op, dialect: PatchDialect): string {
  return dialect === "rfc" ? op : `${op.charAt(0).toUpperCase()}${op.slice(1)}`;
}

function wireValue(value: ScimValue, dialect: PatchDialect): ScimValue {
  if (dialect === "entra-legacy" && typeof value === "boolean") return value ? "True" : "False";
  return value;
}
