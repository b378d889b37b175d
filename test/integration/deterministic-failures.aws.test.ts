import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResultTooLargeError } from "../../runtime/index.js";
import { type AwsApp, awsApp, drained } from "../support/aws-app.js";
import { localAwsTarget } from "../support/emulators.js";

// A failure that would repeat on every delivery is stored as a FAILURE at once: the
// caller sees the error, and the message is done, not redelivered until the DLQ.
describe("Deterministic failures on SQS + DynamoDB (fauxqs + dynalite)", () => {
  let env: AwsApp;
  let runs = 0;
  beforeAll(async () => {
    env = await awsApp(localAwsTarget(), { prefix: "det" });
    await env.worker.start();
  });
  afterAll(() => env?.close());

  it("stores a result too large for an item as a FAILURE with ResultTooLargeError, run once", async () => {
    const huge = env.app.task("det.huge", () => {
      runs++;
      return "x".repeat(500 * 1024);
    });
    const res = await huge.delay();
    const error = await res.get({ timeout: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultTooLargeError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The SUCCESS record of task ${res.id} is \\d+ bytes; a DynamoDB item holds at most`,
      ),
    );
    expect(await res.state()).toBe("FAILURE");
    await drained(env.app, env.sqsClient);
    expect(runs).toBe(1);
  });
});
