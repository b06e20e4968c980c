import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { expect, it } from "vitest";

interface Started {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
}

it("runs as a child process, prints its URL and CA, and takes admin calls over HTTP", async () => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/emulators/graph/start.ts", "--users", "10", "--page-size", "4"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`emulator exited with ${String(code)}`)));
    });
    const started = JSON.parse(line) as Started;
    expect(started.caCertPath).toMatch(/ca\.pem$/);
    const tokenResponse = await fetch(`${started.url}/${started.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: started.clientId,
        client_secret: started.clientSecret,
        scope: `${started.url}/.default`,
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const added = await fetch(`${started.url}/_admin/addUser`, {
      method: "POST",
      body: JSON.stringify([{ displayName: "From a child" }]),
    });
    const { result } = (await added.json()) as { result: { id: string } };
    const user = await fetch(`${started.url}/v1.0/users/${result.id}?$select=displayName`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await user.json()).toMatchObject({ id: result.id, displayName: "From a child" });
    const page = (await (
      await fetch(`${started.url}/v1.0/users`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { value: unknown[] };
    expect(page.value).toHaveLength(4);
  } finally {
    child.kill("SIGTERM");
  }
});
