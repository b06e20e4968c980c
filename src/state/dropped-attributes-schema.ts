import { z } from "zod";
import { isString, largeRecord } from "../model/index.js";

/** Path → digest of the value sent when the target dropped it. */
const isPathDigests = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(isString);

/**
 * Per kind, source id → the paths Klaxoon accepted and did not store, with the digest of the
 * value sent (see cycle/dropped/find-dropped-attributes.ts). Only dropped paths are kept, so it stays empty
 * on a target that stores what it is sent; yet it may hold a path for every user (a target that
 * drops `name.familyName` drops it for everyone), hence a large record. Missing in older files.
 */
export const droppedAttributesSchema = z
  .object({
    users: largeRecord(isPathDigests, "path → digest maps"),
    groups: largeRecord(isPathDigests, "path → digest maps"),
  })
  .default({ users: {}, groups: {} });
