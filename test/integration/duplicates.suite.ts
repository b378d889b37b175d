import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { type AwsApp, awsApp, drained } from "../support/aws-app.js";
import type { AwsTarget } from "../support/emulators.js";
import { range } from "../support/memory-app.js";
import { type SendTwiceCounts, sendEverySendTwice } from "../support/send-twice.js";

/**
 * Duplicates on a local AWS: the app's SQS client sends every message twice (producer
 * and worker alike), and chains, groups and chords still end with the right results,
 * each chord body running once.
 */
export function describeDuplicates(
  name: string,
  target: () => AwsTarget,
  { seconds = 20 }: { /** How long each result may take. @default 20 */ seconds?: number } = {},
): void {
  const T = { timeout: seconds };
  describe(
    `Duplicate sends on SQS + DynamoDB (${name})`,
    { timeout: Math.max(60, seconds + 30) * 1000 },
    () => {
      let env: AwsApp;
      let counts: SendTwiceCounts;
      const bodyRuns = new Map<string, number>();
      const logged: { id?: string; state?: string }[] = [];
      let add: ReturnType<typeof registerTasks>["add"];
      let body: ReturnType<typeof registerTasks>["body"];

      function registerTasks(app: AwsApp["app"]) {
        return {
          add: app.task("dup.add", (x: number, y: number) => x + y),
          body: app.task("dup.body", (xs: number[], tag: string) => {
            bodyRuns.set(tag, (bodyRuns.get(tag) ?? 0) + 1);
            return xs.reduce((a, b) => a + b, 0);
          }),
        };
      }

      beforeAll(async () => {
        env = await awsApp(target(), {
          prefix: "dup",
          logLine: (line) => logged.push(JSON.parse(line) as { id?: string; state?: string }),
          configureSqs: (client) => {
            counts = sendEverySendTwice(client);
          },
        });
        ({ add, body } = registerTasks(env.app));
        await env.worker.start();
      });
      afterAll(() => env?.close());

      it("leaves a chain of 5 with the right result", async () => {
        const res = await chain(add.s(1, 1), ...range(4).map(() => add.s(1))).delay();
        expect(await res.get(T)).toBe(6);
        expect(await res.parent!.parent!.parent!.parent!.get(T)).toBe(2);
      });

      it("leaves a group of 20 with the right results", async () => {
        const res = await group(range(20).map((i) => add.s(i, i))).delay();
        expect(await res.get(T)).toEqual(range(20).map((i) => 2 * i));
      });

      it("runs the body of a chord of 30 once, with the header's results in order", async () => {
        const res = await chord(
          range(30).map((i) => add.s(i, 1)),
          body.s("chord30"),
        ).delay();
        expect(await res.get(T)).toBe(range(30).reduce((sum, i) => sum + i + 1, 0));
        // every copy of every message consumed: no late copy of the body can run after this
        await drained(env.app, env.sqsClient, seconds * 1000);
        expect(bodyRuns.get("chord30")).toBe(1);
        const bodyCopies = logged.filter((l) => l.id === res.id).map((l) => l.state);
        expect(bodyCopies.filter((state) => state === "SUCCESS")).toHaveLength(1);
        expect(bodyCopies.length).toBeGreaterThanOrEqual(2);
      });

      it("sent every message twice", () => {
        expect(counts.calls).toBeGreaterThan(0);
        expect(counts.requests).toBe(2 * counts.calls);
      });
    },
  );
}
