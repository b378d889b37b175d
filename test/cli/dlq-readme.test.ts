import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../runtime/local/local-aws.js";
import { emulatorSqsClient } from "../support/emulators.js";
import { depth, sendBodies } from "./fixtures/dlq-queues.js";
import { REPO_ROOT, runCeleriac } from "./fixtures/run-cli.js";

/** The `celeriac dlq` lines of README.md's "Dead letters", as argv, comments dropped. */
function readmeDlqCommands(): string[][] {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  return readme
    .split("\n")
    .filter((line) => line.startsWith("npx celeriac dlq "))
    .map((line) => line.replace(/#.*$/, "").trim().split(/\s+/).slice(2));
}

// The seed app names its queues proj-*: its own emulators, not the run's shared ones.
describe("README: Dead letters", () => {
  let aws: LocalAws;
  let saved: NodeJS.ProcessEnv;

  beforeAll(async () => {
    saved = { ...process.env };
    aws = await startLocalAws();
    Object.assign(process.env, aws.env, { CELERIAC_BROKER: "sqs://" });
    expect((await runCeleriac(["local", "up", "-A", "examples/proj/tasks.ts"])).code).toBe(0);
  });
  afterAll(async () => {
    await aws?.close();
    process.env = saved;
  });

  it("documents list, show, redrive and purge, and each runs on the seed app", async () => {
    const commands = readmeDlqCommands();
    expect(commands.map((argv) => argv[1])).toEqual(["list", "show", "redrive", "purge"]);
    const sqs = emulatorSqsClient(aws.sqsEndpoint);
    try {
      const printed: string[] = [];
      for (const argv of commands) {
        await sendBodies(sqs, "proj-celery-dlq", ["dead"]);
        const { code, out, err } = await runCeleriac(argv);
        expect(err.text, argv.join(" ")).toBe("");
        expect(code, argv.join(" ")).toBe(0);
        printed.push(out.lines.at(-1) ?? "");
      }
      expect(printed[2]).toMatch(/^Moved 3 messages from proj-celery-dlq to proj-celery by /);
      expect(printed[3]).toBe("Purged 1 message from proj-celery-dlq.");
      expect(await depth(sqs, "proj-celery-dlq")).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      sqs.destroy();
    }
  });
});
