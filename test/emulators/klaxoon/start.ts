/**
 * Runs the Klaxoon emulator on its own: `npx tsx test/emulators/klaxoon/start.ts`.
 * Env: KLAXOON_EMU_PORT, KLAXOON_EMU_TOKEN, KLAXOON_EMU_RPS (429 above it), KLAXOON_EMU_PAGE_SIZE.
 */
import { startKlaxoonEmulator } from "./start-klaxoon-emulator.js";

const env = process.env;
const rps = env["KLAXOON_EMU_RPS"] ? Number(env["KLAXOON_EMU_RPS"]) : undefined;
const emulator = await startKlaxoonEmulator({
  ...(env["KLAXOON_EMU_PORT"] ? { port: Number(env["KLAXOON_EMU_PORT"]) } : {}),
  ...(env["KLAXOON_EMU_TOKEN"] ? { token: env["KLAXOON_EMU_TOKEN"] } : {}),
  ...(env["KLAXOON_EMU_PAGE_SIZE"] ? { maxPageSize: Number(env["KLAXOON_EMU_PAGE_SIZE"]) } : {}),
  ...(rps ? { rateLimit: { requestsPerSecond: rps, retryAfterSeconds: 1 } } : {}),
});
process.stdout.write(`${JSON.stringify({ tenantUrl: emulator.url, token: emulator.token })}\n`);
const stop = (): void => void emulator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
