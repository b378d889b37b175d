import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs app-without-sdk.ts in a node that refuses to load the AWS SDK, with the package's
 * `#aws-transports` as Node resolves it once installed (sdk-probe/tsconfig.json); its
 * JSON lines and stderr. (The consumer test checks that resolution on the packed package.)
 */
function runWithoutSdk(mode: "memory" | "aws") {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./test/support/sdk-probe/forbid-sdk.mjs",
      "test/support/sdk-probe/app-without-sdk.ts",
      mode,
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TSX_TSCONFIG_PATH: "test/support/sdk-probe/tsconfig.json" },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; steps: unknown[]; stderr: string }>((resolve) =>
    child.on("close", (code) =>
      resolve({
        code,
        steps: stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as unknown),
        stderr,
      }),
    ),
  );
}

describe("The AWS SDK is loaded only when an AWS transport is used", () => {
  it("runs a task on memory:// with `import 'celeriac'` and never loads the SDK", async () => {
    const run = await runWithoutSdk("memory");
    expect(run.stderr).toBe("");
    expect(run.steps).toEqual([{ result: 4 }]);
    expect(run.code).toBe(0);
  });

  it("makes an sqs:// + dynamodb:// app without the SDK, and loads it at the first request", async () => {
    const run = await runWithoutSdk("aws");
    expect(run.stderr).toBe("");
    expect(run.steps).toEqual([
      { made: "sqs:// dynamodb://probe-results" },
      { broker: expect.stringMatching(/^@aws-sdk loaded: .*\/@aws-sdk\//) as unknown },
      { backend: expect.stringMatching(/^@aws-sdk loaded: .*\/@aws-sdk\//) as unknown },
    ]);
    expect(run.code).toBe(0);
  });
});
