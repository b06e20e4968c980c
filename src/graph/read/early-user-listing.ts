/**
 * A full read of scope "assigned" learns who is in scope only after every assigned group's
 * member pages are in; from `listAllUsersThreshold` users on, it then lists every user, one page
 * after the other. The listing need not wait: once the users seen so far (direct assignments,
 * then members as their pages arrive) reach the threshold, the final count will too, so the
 * listing that would follow the member pages starts beside them instead. The same requests, the
 * same users kept: only the two chains of pages overlap.
 */
import type { GraphApi } from "../client/graph-api.js";
import { listAllUsers, listsAllUsers, type ScopedReadOptions } from "./read-scoped.js";

export interface EarlyUserListing {
  /** A user known to be in scope (counted once, whatever the number of calls). */
  readonly see: (userId: string) => void;
  /** The listing, once the users seen reached the threshold; null before. */
  readonly listing: () => Promise<unknown[]> | null;
}

export function earlyUserListing(api: GraphApi, select: string, options: ScopedReadOptions): EarlyUserListing {
  const seen = new Set<string>();
  let listing: Promise<unknown[]> | null = null;
  return {
    see(userId) {
      if (listing !== null) return;
      seen.add(userId);
      if (!listsAllUsers(seen.size, options)) return;
      listing = listAllUsers(api, select, options);
      // Awaited once the members are in; a member read failing first must not leave it unhandled.
      listing.catch(() => undefined);
      seen.clear();
    },
    listing: () => listing,
  };
}
