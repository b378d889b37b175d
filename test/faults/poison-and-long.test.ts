import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drained } from "../support/aws-app.js";
import { eventually, localAwsTarget } from "../support/emulators.js";
import { deadLetters, type FaultEnv, faultEnv, figuresLine } from "../support/faults/fault-env.js";
import {
  RunCounts,
  registerFaultTasks,
  sendWorkflows,
  settle,
} from "../support/faults/workflows.js";

const POISON = [
  "this is not JSON {",
  JSON.stringify({ celeriac: 1, headers: { task: "faults.add" }, body: [[1, 2], {}, {}] }),
  JSON.stringify({
    celeriac: 99,
    headers: { id: "v99", task: "faults.add" },
    body: [[1, 2], {}, {}],
  }),
];

describe("Poison messages sent beside good work", { timeout: 180_000 }, () => {
  let env: FaultEnv;
  const counts = new RunCounts();
  let lost = 0;
  let wrong = 0;

  beforeAll(async () => {
    env = await faultEnv(localAwsTarget(), {
      suite: "poison messages",
      queueOptions: { visibilityTimeout: 10, maxReceiveCount: 3 },
    });
    registerFaultTasks(env.worker.app, counts);
    await env.worker.worker.start();
  });
  afterAll(async () => {
    if (!env) return;
    env.log.counts.set("poison", POISON.length);
    console.log(
      figuresLine({
        suite: "poison messages",
        seed: env.seed,
        log: env.log,
        tasksRun: counts.runs,
        wrong,
        lost,
        bodiesTwice: 0,
      }),
    );
    await env.close();
  });

  it("moves each one to the DLQ intact after maxReceiveCount while the rest runs", async () => {
    const queueUrl = async (name: string) =>
      (await env.producerSqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const main = await queueUrl(`${env.worker.app.name}-celery`);
    await env.producerSqs.send(
      new SendMessageBatchCommand({
        QueueUrl: main,
        Entries: POISON.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
      }),
    );
    const tasks = registerFaultTasks(env.producer, new RunCounts());
    const sent = await sendWorkflows(tasks, "p");
    const outcomes = await settle(sent.checks, 90);
    wrong = outcomes.wrong.length;
    lost = outcomes.lost.length;
    expect(outcomes.wrong).toEqual([]);
    expect(outcomes.lost).toEqual([]);

    await eventually(
      () => deadLetters(env.worker.app, env.producerSqs),
      (dlq) => dlq.celery === POISON.length,
      { timeoutMs: 60_000, intervalMs: 250, what: `${POISON.length} poison messages in the DLQ` },
    );
    await drained(env.worker.app, env.producerSqs, 60_000);
    const dlq = await queueUrl(`${env.worker.app.name}-celery-dlq`);
    const bodies: string[] = [];
    await eventually(
      async () => {
        const out = await env.producerSqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 60,
          }),
        );
        bodies.push(...(out.Messages ?? []).map((m) => m.Body ?? ""));
        return bodies.length;
      },
      (n) => n >= POISON.length,
      { timeoutMs: 20_000, intervalMs: 100, what: "the poison messages read back from the DLQ" },
    );
    expect([...bodies].sort()).toEqual([...POISON].sort());
  });
});

describe("A task longer than its queue's visibility timeout", { timeout: 120_000 }, () => {
  let env: FaultEnv;
  let runs = 0;
  let result: { wrong: number; lost: number } = { wrong: 0, lost: 0 };
  const TASK_SECONDS = 12;

  beforeAll(async () => {
    env = await faultEnv(localAwsTarget(), {
      suite: "long task",
      // 12 s of work on a 4 s visibility queue that dead-letters after 2 receives
      queueOptions: { visibilityTimeout: 4, maxReceiveCount: 2 },
    });
    env.worker.app.task(
      "faults.long",
      async (x: number) => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, TASK_SECONDS * 1000));
        return x;
      },
      { once: true },
    );
    await env.worker.worker.start();
  });
  afterAll(async () => {
    if (!env) return;
    console.log(
      figuresLine({
        suite: "long task",
        seed: env.seed,
        log: env.log,
        tasksRun: runs,
        ...result,
        bodiesTwice: runs > 1 ? 1 : 0,
      }),
    );
    await env.close();
  });

  it("runs once and is not dead-lettered: the heartbeat keeps it hidden", async () => {
    const long = env.producer.task("faults.long", async (x: number) => x, { once: true });
    const res = await long.delay(7);
    try {
      expect(await res.get({ timeout: TASK_SECONDS + 60 })).toBe(7);
    } catch (error) {
      result = { wrong: 0, lost: 1 };
      throw error;
    }
    await drained(env.worker.app, env.producerSqs, 30_000);
    expect(runs).toBe(1);
    expect(await deadLetters(env.worker.app, env.producerSqs)).toEqual({ celery: 0 });
  });
});
