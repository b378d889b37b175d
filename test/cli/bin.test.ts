import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, waitFor } from "./fixtures/run-cli.js";

/** The environment of a `celeriac` subprocess: the embedded memory transports. */
const memoryEnv = {
  ...process.env,
  CELERIAC_BROKER: "memory://",
  CELERIAC_BACKEND: "memory://",
  CELERIAC_TEST_APP: "clitest",
};

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

afterEach(() => {
  // A spec that failed midway must not leave its worker running.
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts `node bin/celeriac.js <argv>` from the repository root. */
function spawnCeleriac(argv: readonly string[]): Spawned {
  const child = spawn(process.execPath, ["bin/celeriac.js", ...argv], {
    cwd: REPO_ROOT,
    env: memoryEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

describe("Binary: bin/celeriac.js", () => {
  it("loads a TypeScript tasks module through tsx and lists its tasks", async () => {
    // tasks-only.ts exports tasks, not the app: the app is the one its import made current.
    const run = spawnCeleriac(["inspect", "registered", "-A", "test/cli/fixtures/tasks-only.ts"]);
    const code = await run.exited;
    expect(run.stderr()).toBe("");
    expect(code).toBe(0);
    expect(run.stdout().split("\n").filter(Boolean)).toEqual([
      "clitest.add",
      "clitest.fail",
      "clitest.greet",
      "clitest.mul",
      "clitest.shout",
    ]);
  });

  it("runs a worker that prints its banner and exits with 0 on SIGTERM", async () => {
    const run = spawnCeleriac(["worker", "-A", "test/cli/fixtures/cli-app.ts", "-c", "1"]);
    try {
      await waitFor(() => run.stdout().includes(" ready."), "the worker's banner", 15_000);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`,
      );
    }
    expect(run.stdout()).toMatch(/ -------------- celeriac@\S+ v0\.1\.0/);
    expect(run.stdout()).toContain(".> transport:   memory://");
    expect(run.stdout()).toContain("[tasks]\n  . clitest.add\n");

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("worker: Warm shutdown (SIGTERM)");
    expect(run.stderr()).toBe("");
  });
});
