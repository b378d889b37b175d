/**
 * Starts `emulators.ts` in a child process, so that the engine measured does not share
 * its event loop with the endpoints it calls, and hands back their URLs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The endpoints of the emulators' child process, and how to stop it. */
export interface EmulatorProcess {
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  /** Closes the child's stdin and waits for it to exit. */
  stop(): Promise<void>;
}

/** Spawns the emulators' process (node with tsx's loader) and waits for its endpoints. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const script = fileURLToPath(new URL("./emulators.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const endpoints = await new Promise<{ sqs: string; dynamodb: string }>((resolve, reject) => {
    let buffered = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`emulators exited with ${String(code)}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const line = buffered.split("\n")[0];
      if (buffered.includes("\n") && line !== undefined) resolve(JSON.parse(line));
    });
  });
  child.removeAllListeners("exit");
  return {
    sqsEndpoint: endpoints.sqs,
    dynamodbEndpoint: endpoints.dynamodb,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}
