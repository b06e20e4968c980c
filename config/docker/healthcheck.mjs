// The image's HEALTHCHECK: GET /healthz on 127.0.0.1, port ENTRA_KLAXOON_SYNC_HEALTH_PORT (the
// image sets 8080, the agent's default daemon.health.port; set both when you change it).
// Exit 0 when the agent answers 200 within 4 s, 1 otherwise.
const port = Number(process.env.ENTRA_KLAXOON_SYNC_HEALTH_PORT ?? "8080");
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`ENTRA_KLAXOON_SYNC_HEALTH_PORT must be a port number, not "${process.env.ENTRA_KLAXOON_SYNC_HEALTH_PORT}"\n`);
  process.exit(1);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`healthz on port ${port}: ${error instanceof Error ? (error.cause?.message ?? error.message) : String(error)}\n`);
  process.exit(1);
}
