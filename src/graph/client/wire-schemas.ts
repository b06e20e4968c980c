/** Graph's wire shapes, parsed with zod: everything from the wire is `unknown` until here. */
import { z } from "zod";

export const collectionPage = z.looseObject({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
});

export const graphErrorBody = z.looseObject({
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }),
});

export const appRole = z.looseObject({
  id: z.string(),
  value: z.string().nullish(),
  displayName: z.string().nullish(),
});

export const servicePrincipal = z.looseObject({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullish(),
  appRoles: z.array(appRole).nullish(),
});

export const appRoleAssignment = z.looseObject({
  principalId: z.string(),
  principalType: z.string().nullish(),
  appRoleId: z.string(),
});

/** Users and groups keep every selected attribute; only the keys we rely on are checked. */
export const directoryObject = z.looseObject({ id: z.string() });

export const member = z.looseObject({
  "@odata.type": z.string(),
  id: z.string(),
});

export const deltaPage = z.looseObject({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

export const deltaObject = z.looseObject({
  id: z.string(),
  "@removed": z.looseObject({ reason: z.string().nullish() }).optional(),
  "members@delta": z.array(z.unknown()).optional(),
});

export const batchResponse = z.looseObject({
  responses: z.array(
    z.looseObject({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown(),
    }),
  ),
});

export type BatchItemResponse = z.infer<typeof batchResponse>["responses"][number];
