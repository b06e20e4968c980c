/** zod schemas for what Klaxoon sends back; wire data stays `unknown` until parsed here. */
import { z } from "zod";

export const scimErrorSchema = z.looseObject({
  detail: z.string().optional(),
  scimType: z.string().optional(),
});

export const listResponseSchema = z.looseObject({
  totalResults: z.number().int().nonnegative(),
  startIndex: z.number().int().optional(),
  itemsPerPage: z.number().int().optional(),
  Resources: z.array(z.unknown()).optional(),
});

/**
 * A resource id: it goes into request paths (`/Users/{id}`), percent-encoded; "." and ".." are
 * refused, as encoding leaves them as they are and they would change the path.
 */
const resourceId = z
  .string()
  .min(1)
  .refine((id) => id !== "." && id !== "..", { message: 'an id of "." or ".."' });

/** Any resource: an id, other attributes kept as they came for flattening. */
export const resourceSchema = z.looseObject({ id: resourceId });

/** `active` as JSON boolean, or Entra-legacy strings some servers echo back. */
const activeSchema = z
  .union([z.boolean(), z.enum(["True", "False", "true", "false"])])
  .transform((value) => value === true || value === "True" || value === "true");

export const userSchema = z.looseObject({
  id: resourceId,
  userName: z.string(),
  active: activeSchema.optional(),
});

export const groupSchema = z.looseObject({
  id: resourceId,
  displayName: z.string(),
  members: z.array(z.looseObject({ value: z.string() })).optional(),
});

export const serviceProviderConfigSchema = z.looseObject({
  patch: z.looseObject({ supported: z.boolean() }).optional(),
  filter: z.looseObject({ supported: z.boolean(), maxResults: z.number().int().positive().optional() }).optional(),
});

export type WireResource = z.infer<typeof resourceSchema>;
