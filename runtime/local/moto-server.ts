import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { ConfigurationError } from "../errors/usage-errors.js";
import { atomicDynamoDBPatch } from "./moto-atomic-dynamodb.js";

/** A `moto_server` child process listening on 127.0.0.1. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint`. */
  endpoint: string;
  /** The child's process id. */
  pid: number;
  /** Stops the child (SIGTERM, then SIGKILL after `graceMs`) and waits until it has exited. */
  close(graceMs?: number): Promise<void>;
}

/** The first executable called `command` on `PATH`, or undefined. */
export function findOnPath(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string")
    throw new ConfigurationError("no TCP port was assigned on 127.0.0.1");
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` (the executable at `command`), with its
 * DynamoDB made atomic (see `moto-atomic-dynamodb.ts`), and resolves once
 * `GET /moto-api/` answers 200. Rejects with the server's output when it
 * exits early or is not ready within `timeoutMs`.
 */
export async function startMotoServer(
  command: string,
  options: { timeoutMs?: number } = {},
): Promise<MotoServer> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const patch = atomicDynamoDBPatch();
  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: patch.env,
  });
  void exited(child).then(patch.remove);
  // Its output is kept (the last 4,000 characters) for the error message of a failed
  // start, and read all along so that a chatty server never blocks on a full pipe.
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });

  const close = async (graceMs = 5_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = exited(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      throw new ConfigurationError(
        `moto_server exited before it was ready (${spawnError?.message ?? `code ${child.exitCode}, signal ${child.signalCode}`}):\n${output}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close(1000);
      throw new ConfigurationError(
        `moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { endpoint, pid: child.pid ?? -1, close };
}
