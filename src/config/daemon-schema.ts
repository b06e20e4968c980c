import { z } from "zod";
import { validate as isValidCron } from "node-cron";
import { isHttpsOrLoopbackUrl } from "../model/index.js";

/**
 * Codes that quarantine at once, as Entra does for invalid credentials and a non-compliant
 * target (application-provisioning-quarantine-status.md). A `ConfigError` raised during a cycle
 * quarantines at once too: retrying a wrong configuration every 40 minutes helps nobody.
 */
export const IMMEDIATE_QUARANTINE_CODES = [
  "GRAPH_UNAUTHORIZED",
  "GRAPH_CREDENTIAL_REFUSED",
  "KLAXOON_UNAUTHORIZED",
  "KLAXOON_UNEXPECTED_RESPONSE",
  "KLAXOON_NOT_COMPLIANT",
  // The state belongs to another tenant, app or Tenant URL: retrying changes nothing.
  "STATE_BOUND_ELSEWHERE",
] as const;

/** What the daemon can tell a webhook (see daemon/observe/events.ts, whose event union must match). */
export const DAEMON_EVENT_TYPES = [
  "quarantineEntered",
  "quarantineReasonChanged",
  "quarantineLeft",
  "disabled",
  "guardHeld",
  "cycleFailures",
] as const;

const quarantineSchema = z.strictObject({
  /** A cycle quarantines when more than this share of its counted operations failed… */
  failureRatio: z.number().gt(0).max(1).default(0.4),
  /** …and at least this many failed. Entra evaluates from 5,000; small tenants need a lower floor. */
  minimumFailures: z.number().int().min(1).default(10),
  /** Retries in quarantine, in hours after the first failure; then every `retryEveryHours`. */
  retryScheduleHours: z.array(z.number().positive()).min(1).default([6, 12, 24]),
  retryEveryHours: z.number().positive().default(24),
  /** After this long in quarantine the agent stops trying: an administrator must act. */
  giveUpAfterDays: z.number().positive().default(28),
  /**
   * Our extension: errors that are neither refused credentials nor a non-compliant target
   * (an endpoint unreachable, a state file unwritable) quarantine after this many in a row.
   */
  maxConsecutiveErrors: z.number().int().min(1).default(3),
  immediateCodes: z.array(z.string().min(1)).default([...IMMEDIATE_QUARANTINE_CODES]),
});

const webhookUrl = z.url({ protocol: /^https?$/ }).refine(isHttpsOrLoopbackUrl, {
  message: "must be https:// (plain http:// is accepted only for loopback addresses)",
});

const webhookSchema = z.strictObject({
  url: webhookUrl,
  /** json: our event object; teams and slack: `{ "text": "…" }`, which both accept. */
  format: z.enum(["json", "teams", "slack"]).default("json"),
  timeoutSeconds: z.number().positive().max(120).default(10),
  /** Which events are posted; e.g. leave out `cycleFailures` to hear only about quarantine and the guard. */
  events: z.array(z.enum(DAEMON_EVENT_TYPES)).default([...DAEMON_EVENT_TYPES]),
});

const healthSchema = z.strictObject({
  /** 0.0.0.0 so kubelet probes reach it in a pod; 127.0.0.1 keeps it local on a workstation. */
  host: z.string().min(1).default("0.0.0.0"),
  port: z.number().int().min(0).max(65535).default(8080),
  enabled: z.boolean().default(true),
});

/**
 * The leaver fast lane: between regular cycles, a short pass that reads only Graph's delta
 * rounds and applies only deactivations and member removals (IPSIE: within 5 minutes).
 */
const leaverLaneSchema = z.strictObject({
  /** Minutes between passes; 0 turns the lane off. */
  intervalMinutes: z.number().min(0).max(60).default(2),
  /**
   * Also list the app's assignments in each pass (Graph has no delta for them), so a directly
   * assigned user who is unassigned is caught by the lane too, at the cost of one request per
   * page of assignments; otherwise the next regular cycle catches it.
   */
  relistAssignments: z.boolean().default(false),
});

/**
 * The `daemon:` key of the configuration file. Every key has a default, so `daemon: {}` (or no
 * key at all, with `.prefault({})`) gives the Entra-like behaviour: a cycle every 40 minutes.
 */
export const daemonSchema = z.strictObject({
  /** Start to start. Ignored when `cron` is set. */
  intervalMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(40),
  /**
   * A node-cron expression used instead of the interval. Cron fields match clock values, so
   * `*\/40 * * * *` means minutes 0 and 40 of every hour (gaps of 40 then 20 minutes), not
   * "every 40 minutes"; use `intervalMinutes: 40` for that.
   */
  cron: z
    .string()
    .min(1)
    .refine((value) => isValidCron(value), { message: "not a valid cron expression" })
    .optional(),
  /** IANA time zone for `cron` (default: the process's). */
  timezone: z.string().min(1).optional(),
  /** Run a cycle as soon as the daemon starts (otherwise wait for the first scheduled start). */
  runOnStart: z.boolean().default(true),
  /** On SIGTERM, how long a running cycle may take to finish before it is abandoned. */
  shutdownGraceSeconds: z.number().min(0).max(3600).default(25),
  quarantine: quarantineSchema.prefault({}),
  webhook: webhookSchema.optional(),
  health: healthSchema.prefault({}),
  leaverLane: leaverLaneSchema.prefault({}),
});

export type DaemonSettings = z.infer<typeof daemonSchema>;
export type DaemonSettingsInput = z.input<typeof daemonSchema>;
export type QuarantineSettings = DaemonSettings["quarantine"];
export type WebhookSettings = z.infer<typeof webhookSchema>;
export type HealthSettings = DaemonSettings["health"];
export type LeaverLaneSettings = DaemonSettings["leaverLane"];
