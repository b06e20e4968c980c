import { emptyState, type StateStore } from "../state/index.js";

export interface ResetOptions {
  readonly clearEscrows: boolean;
  readonly clearDelta: boolean;
  /** Start afresh: the whole state (links included) is set aside in a copy. */
  readonly forgetLinks: boolean;
}

/**
 * Like Entra's "Restart provisioning": leaves quarantine (and the disabled state after 28
 * days); optionally forgets escrows and the delta checkpoint, so the next cycle is a full one.
 * The links between Entra objects and Klaxoon accounts are kept, unless `forgetLinks` (Entra's
 * full reset, for a state that belongs to another tenant, app or Tenant URL): then the old
 * state is copied aside and the next cycle matches every account again by userName. Without
 * links no account counts as managed, so none can be deactivated by that first cycle.
 */
export async function resetProvisioning(store: StateStore, options: ResetOptions): Promise<string> {
  const path = store.path;
  const lock = await store.lock();
  try {
    const { status, state } = await store.read();
    if (options.forgetLinks) {
      const backup = status === "ok" ? await store.copyAside("before-reset") : null;
      await store.write(emptyState());
      const forgotten =
        "links, fingerprints, escrows, delta links, quarantine and the bound tenant, app and Tenant URL";
      const kept = backup === null ? "" : `; the old state is in ${backup}`;
      return `${path}: started afresh (${forgotten} forgotten${kept}); the next cycle matches every account again by userName`;
    }
    await store.write({
      ...state,
      quarantine: null,
      escrows: options.clearEscrows ? {} : state.escrows,
      directory: options.clearDelta ? null : state.directory,
    });
    const cleared = [
      "quarantine",
      ...(options.clearEscrows ? ["escrows"] : []),
      ...(options.clearDelta ? ["delta links (next cycle is a full read)"] : []),
    ];
    return `${path}: cleared ${cleared.join(", ")}; links to Klaxoon accounts kept`;
  } finally {
    await lock.release();
  }
}
