/** A write's failure as the outcome apply/ expects: from a classified HTTP failure, or a path we cannot express. */
import type { WriteOutcome } from "../../apply/index.js";
import type { Failure } from "../http/classify.js";
import { UnsupportedPathError } from "../resources/build-resource.js";

export function failed(failure: Failure): { readonly ok: false } & Failure {
  return { ok: false, kind: failure.kind, status: failure.status, message: failure.message };
}

/** A mapping's path the body builders refuse: invalid for this object, never sent. Other errors are bugs: rethrown. */
export function unsupported(error: unknown): WriteOutcome<never> {
  if (!(error instanceof UnsupportedPathError)) throw error;
  return { ok: false, kind: "invalid", status: null, message: error.message };
}
