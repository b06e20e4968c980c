/**
 * Express middleware run before scimmy-routers, adapting requests where SCIMMY 1.3.5 falls short:
 * - Express 5 re-parses `req.query` on every read, so scimmy-routers' cast of startIndex/count to
 *   numbers is lost and paging is ignored: the query is parsed once here and pinned on `req`;
 * - the filter is decoded and checked against what Klaxoon can filter on (see filter.ts);
 * - Entra's legacy PATCH sends `active` as the strings "True"/"False", which SCIMMY rejects:
 *   they become booleans (capitalised ops SCIMMY already accepts).
 * It also enforces the emulator's policy on listing the extension URN in `schemas`.
 */
import type { NextFunction, Request, Response } from "express";
import { InvalidFilterError, parseKlaxoonFilter } from "./filter.js";
import { KLAXOON_GROUP_EXTENSION_URN, type EmulatorContext } from "./klaxoon-schema.js";
import { isObject } from "./store.js";

export type ExtensionSchemasPolicy = "either" | "required" | "forbidden";

export function normaliseRequest(contextOf: (req: Request) => EmulatorContext, policy: ExtensionSchemasPolicy) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    for (const key of ["startIndex", "count"]) {
      const value = query[key];
      if (typeof value === "string" && /^-?\d+$/.test(value)) query[key] = Number(value);
    }
    const resource = /^\/(Users|Groups)\/?$/.exec(req.path)?.[1];
    if (typeof query["filter"] === "string" && (resource === "Users" || resource === "Groups")) {
      try {
        contextOf(req).filter = parseKlaxoonFilter(query["filter"], resource);
      } catch (error) {
        if (!(error instanceof InvalidFilterError)) throw error;
        sendError(res, 400, "invalidFilter", error.message);
        return;
      }
      delete query["filter"];
    }
    Object.defineProperty(req, "query", { value: query, writable: true, configurable: true, enumerable: true });
    // A copy: the request log keeps the body as the client sent it.
    if (req.method === "PATCH" && isObject(req.body)) req.body = legacyBooleans(structuredClone(req.body));
    if ((req.method === "POST" || req.method === "PUT") && req.path.startsWith("/Groups") && isObject(req.body)) {
      const problem = checkExtensionSchemas(req.body, policy);
      if (problem) {
        sendError(res, 400, "invalidSyntax", problem);
        return;
      }
    }
    next();
  };
}

function legacyBooleans(body: Record<string, unknown>): Record<string, unknown> {
  const operations = body["Operations"];
  if (!Array.isArray(operations)) return body;
  for (const operation of operations) {
    if (!isObject(operation)) continue;
    const path = typeof operation["path"] === "string" ? operation["path"].toLowerCase() : undefined;
    if (path === "active") operation["value"] = toBoolean(operation["value"]);
    else if (path === undefined && isObject(operation["value"]) && "active" in operation["value"]) {
      operation["value"]["active"] = toBoolean(operation["value"]["active"]);
    }
  }
  return body;
}

function toBoolean(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : value;
}

function checkExtensionSchemas(body: Record<string, unknown>, policy: ExtensionSchemasPolicy): string | null {
  if (policy === "either" || !(KLAXOON_GROUP_EXTENSION_URN in body)) return null;
  const listed = Array.isArray(body["schemas"]) && body["schemas"].includes(KLAXOON_GROUP_EXTENSION_URN);
  if (policy === "required" && !listed) return `Extension ${KLAXOON_GROUP_EXTENSION_URN} must be listed in schemas`;
  if (policy === "forbidden" && listed) return `Unknown schema ${KLAXOON_GROUP_EXTENSION_URN} in schemas`;
  return null;
}

/**
 * An RFC 7644 §3.12 error body, written directly: SCIMMY's Messages.Error refuses statuses it
 * does not list (429, 502, 503), which Klaxoon and our fault injection need.
 */
export function sendError(res: Response, status: number, scimType: string | null, detail: string): void {
  const body = { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
  res.status(status).type("application/scim+json").send(JSON.stringify(body));
}

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
