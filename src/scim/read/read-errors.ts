/** Read failures become thrown errors (a reader never returns a partial list), with stable codes. */
import { FatalError, SyncError } from "../../model/index.js";
import type { Failure } from "../http/classify.js";

export function readError(failure: Failure, what: string): SyncError {
  const message = `Klaxoon ${what}: ${failure.message}`;
  switch (failure.kind) {
    case "unauthorized":
      return new FatalError("KLAXOON_UNAUTHORIZED", `${message} (check klaxoon.secretToken)`);
    case "fatal":
      return new FatalError("KLAXOON_UNEXPECTED_RESPONSE", message);
    case "invalid":
      return new SyncError("KLAXOON_READ_REFUSED", message);
    default:
      return new SyncError("KLAXOON_READ_FAILED", `${message} (${failure.kind})`);
  }
}

export function malformed(what: string, issue: string): FatalError {
  return new FatalError("KLAXOON_UNEXPECTED_RESPONSE", `Klaxoon ${what}: unexpected response shape (${issue})`);
}
