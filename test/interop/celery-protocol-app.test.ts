import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { kombuPayload } from "../../runtime/message/celery-wire-read.js";
import { memoryApp } from "../support/memory-app.js";

// A Celeriac app whose every queue speaks Celery's protocol still keeps Celeriac's
// semantics: its own workers read the messages back, claims and chords included.
const env = await memoryApp({ app: { protocol: "celery" } });
const { app, broker } = env;
const add = app.task("p.add", (x: number, y: number) => x + y);
const mul = app.task("p.mul", (x: number, y: number) => x * y);
const xsum = app.task("p.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
let flakyRuns = 0;
const flaky = app.task(
  "p.flaky",
  function (this: { retry(o: { countdown: number }): never }, x: number) {
    if (++flakyRuns < 2) this.retry({ countdown: 0 });
    return x;
  },
  { bind: true },
);
beforeAll(() => env.start());
afterAll(() => env.close());

describe("An app with protocol: 'celery'", () => {
  it("publishes kombu's SQS form", async () => {
    const sent: string[] = [];
    const publish = broker.publish.bind(broker);
    broker.publish = async (messages) => {
      sent.push(...messages.map((m) => m.body));
      return publish(messages);
    };
    try {
      expect(await (await add.delay(2, 2)).get({ timeout: 5 })).toBe(4);
    } finally {
      broker.publish = publish;
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((body) => kombuPayload(body) !== undefined)).toBe(true);
  });

  it("runs chains, groups, chords and retries through it", async () => {
    expect(await (await chain(add.s(4, 4), mul.s(8)).delay()).get({ timeout: 5 })).toBe(64);
    expect(await (await group(add.s(1, 1), add.s(2, 2)).delay()).get({ timeout: 5 })).toEqual([
      2, 4,
    ]);
    const body = chord([add.s(1, 1), add.s(2, 2), add.s(3, 3)], xsum.s());
    expect(await (await body.delay()).get({ timeout: 5 })).toBe(12);
    expect(await (await flaky.delay(7)).get({ timeout: 5 })).toBe(7);
    expect(flakyRuns).toBe(2);
  });
});
