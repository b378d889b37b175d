import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AsyncResult, ChordError, chain, chord, group } from "../../runtime/index.js";
import { type AwsApp, awsApp } from "../support/aws-app.js";
import { motoAvailable, motoTarget } from "../support/emulators.js";
import { range } from "../support/memory-app.js";
import { PROJ_OPTIONS, projTasks } from "../support/proj-tasks.js";

// A subset of the seed tests (test/seed) through SqsBroker + DynamoDBBackend on
// moto_server: small fan-outs, since moto scans a whole queue on every call.
// moto is one Python process shared with the other moto suites: give it time.
const T = { timeout: 60 };

describe.skipIf(!motoAvailable("the seed tests on moto"))(
  "Seed on SQS + DynamoDB (moto)",
  { timeout: 75_000 },
  () => {
    let env: AwsApp;
    let tasks: ReturnType<typeof projTasks>;
    beforeAll(async () => {
      env = await awsApp(motoTarget()!, { prefix: "seed", app: PROJ_OPTIONS });
      tasks = projTasks(env.app);
      await env.worker.start();
    });
    afterAll(() => env?.close());

    it("runs add.delay(2, 2) and gets 4", async () => {
      expect(await (await tasks.add.delay(2, 2)).get(T)).toBe(4);
    });

    it("sends applyAsync to lopri with a countdown and runs it after the delay", async () => {
      const sent = Date.now();
      const res = await tasks.add.applyAsync([2, 2], {}, { queue: "lopri", countdown: 1 });
      expect(await res.get(T)).toBe(4);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(900);
    });

    it("rejects get() with the task's own TypeError", async () => {
      const res = await tasks.add.applyAsync([2, "2"] as never);
      await expect(res.get(T)).rejects.toThrow(TypeError);
      expect(await res.state()).toBe("FAILURE");
    });

    it("runs a chain through the lopri queue: (4 + 4) * 8 * 10", async () => {
      const { add, mul } = tasks;
      const res = await chain(add.s(4, 4), mul.s(8), mul.s(10)).delay();
      expect(await res.get(T)).toBe(640);
      expect(await res.parent!.get(T)).toBe(64);
    });

    it("runs a group", async () => {
      const { add } = tasks;
      expect(await (await group(range(10).map((i) => add.s(i, i))).delay()).get(T)).toEqual(
        range(10).map((i) => 2 * i),
      );
    });

    it("runs a chord of 10: 90", async () => {
      const { add, xsum } = tasks;
      const res = await chord(
        range(10).map((i) => add.s(i, i)),
        xsum.s(),
      ).delay();
      expect(await res.get(T)).toBe(90);
    });

    it("fails the chord body with a ChordError naming the failed dependency", async () => {
      const { add, raisingTask, xsum } = tasks;
      const res = await chord([add.s(4, 4), raisingTask.s(), add.s(8, 8)], xsum.s()).delay();
      const error = await res.get(T).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChordError);
      const failedId = (res.parent as { results: AsyncResult[] }).results[1]!.id;
      expect((error as Error).message).toBe(
        `Dependency ${failedId} raised ValueError('something something')`,
      );
    });

    it("maps xsum over lists in one task", async () => {
      const { xsum } = tasks;
      expect(await (await xsum.map([range(10), range(100)]).delay()).get(T)).toEqual([45, 4950]);
    });
  },
);
