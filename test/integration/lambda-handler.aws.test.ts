import { randomUUID } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { SqsBroker } from "../../runtime/adapters/sqs/index.js";
import {
  Celery,
  createWorkerHandler,
  NotRegistered,
  type ReceivedMessage,
  toSqsEvent,
} from "../../runtime/index.js";
import { type AwsApp, awsApp } from "../support/aws-app.js";
import {
  emulatorDynamoDBClient,
  emulatorSqsClient,
  eventually,
  localAwsTarget,
} from "../support/emulators.js";

const target = localAwsTarget();
const T = { timeout: 10 };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Receives from `queue` until `count` messages have arrived. */
async function receiveAll(app: Celery, queue: string, count: number): Promise<ReceivedMessage[]> {
  const got = new Map<string, ReceivedMessage>();
  await eventually(
    async () => {
      for (const m of await app.broker.receive(queue, { maxMessages: 10, waitSeconds: 1 }))
        got.set(m.messageId, m);
      return got.size;
    },
    (n) => n >= count,
    { intervalMs: 0, what: `${count} messages on '${queue}'` },
  );
  return [...got.values()];
}

type Line = Record<string, unknown>;

describe("Lambda handler on SQS + DynamoDB (fauxqs + dynalite)", () => {
  describe("Function: createWorkerHandler", () => {
    let env: AwsApp;

    async function handlerApp(): Promise<AwsApp> {
      env = await awsApp(target, { prefix: "handler" });
      cleanups.push(() => env.close());
      return env;
    }

    it("fails exactly the unparseable record of a batch of three, and the unknown task as FAILURE", async () => {
      const { app } = await handlerApp();
      const add = app.task("h.add", (x: number, y: number) => x + y);
      const good = await add.delay(2, 3);
      const unknown = await app.signature("h.not_registered", { args: [1] }).delay();
      const received = await receiveAll(app, "celery", 2);
      const byId = (taskId: string) =>
        received.find(
          (m) => (JSON.parse(m.body) as { headers: { id: string } }).headers.id === taskId,
        );
      const unparseable: ReceivedMessage = {
        messageId: `bad-${randomUUID()}`,
        receiptHandle: "rh-bad",
        body: "{this is not JSON",
        receiveCount: 1,
      };
      const event = toSqsEvent("celery", [byId(good.id)!, unparseable, byId(unknown.id)!]);
      const lines: string[] = [];
      const handler = createWorkerHandler({ app, writeLine: (line) => lines.push(line) });

      const response = await handler(event);

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: unparseable.messageId }] });
      expect(await good.get(T)).toBe(5);
      expect(await unknown.state()).toBe("FAILURE");
      await expect(unknown.get(T)).rejects.toBeInstanceOf(NotRegistered);
      await expect(unknown.get(T)).rejects.toThrow(/'h\.not_registered' is not registered/);

      const parsed = lines.map((line) => JSON.parse(line) as Line);
      // records run concurrently: one line per task, in completion order
      const taskLines = parsed
        .filter((l) => "task" in l && "state" in l)
        .sort((a, b) => String(a.task).localeCompare(String(b.task)));
      expect(taskLines).toEqual([
        expect.objectContaining({
          task: "h.add",
          id: good.id,
          state: "SUCCESS",
          durationMs: expect.any(Number),
          app: app.name,
        }),
        expect.objectContaining({
          task: "h.not_registered",
          id: unknown.id,
          state: "FAILURE",
          durationMs: expect.any(Number),
          app: app.name,
        }),
      ]);
      expect(taskLines[0]).toMatchObject({
        level: "INFO",
        message: expect.stringMatching(
          new RegExp(String.raw`^Task h\.add\[${good.id}\] succeeded in \d+\.\d{3}s: 5$`),
        ),
        service: app.name,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const errors = parsed.filter((l) => l.level === "ERROR");
      expect(errors).toEqual([
        expect.objectContaining({ message: expect.stringContaining(unparseable.messageId) }),
        expect.objectContaining({
          message: expect.stringMatching(
            /^Task h\.not_registered\[[^\]]+\] raised unexpected: NotRegistered\('Task \\'h\.not_registered\\' is not registered/,
          ),
          error: expect.stringMatching(/^NotRegistered\(/),
          traceback: expect.stringContaining("NotRegistered"),
        }),
      ]);

      const emf = parsed.filter((l) => "_aws" in l);
      expect(emf).toHaveLength(2);
      for (const line of emf) {
        expect(line._aws).toEqual({
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: "Celeriac",
              Dimensions: [["App", "Task"]],
              Metrics: [
                { Name: "Succeeded", Unit: "Count" },
                { Name: "Failed", Unit: "Count" },
                { Name: "Retried", Unit: "Count" },
              ],
            },
          ],
        });
      }
      const counts = Object.fromEntries(
        emf.map(({ Task, App, Succeeded, Failed, Retried }) => [
          Task,
          { App, Succeeded, Failed, Retried },
        ]),
      );
      expect(counts).toEqual({
        "h.add": { App: app.name, Succeeded: 1, Failed: 0, Retried: 0 },
        "h.not_registered": { App: app.name, Succeeded: 0, Failed: 1, Retried: 0 },
      });
    });
  });

  describe("Class: LocalWorker (app.worker())", () => {
    it("leaves an unparseable message to the DLQ after maxReceiveCount, and runs the good one", async () => {
      const appName = `dlq-${randomUUID().slice(0, 8)}`;
      const sqsClient = emulatorSqsClient(target.sqsEndpoint);
      const dynamoDBClient = emulatorDynamoDBClient(target.dynamodbEndpoint);
      const warnings: string[] = [];
      const broker = new SqsBroker({
        appName,
        client: sqsClient,
        visibilityTimeout: 1,
        logger: { warn: (message) => warnings.push(message) },
      });
      const app = new Celery(appName, {
        broker,
        backend: `dynamodb://${appName}-results`,
        dynamoDBClient,
      });
      const add = app.task("d.add", (x: number, y: number) => x + y);
      const urls = await broker.ensureQueues(app.queues, {
        maxReceiveCount: 2,
        visibilityTimeout: 1,
      });
      // idempotent: keeps the queue as created (maxReceiveCount 2), with one warning
      await app.ensureResources();
      expect(warnings).toEqual([expect.stringContaining(`${appName}-celery`)]);
      const lines: string[] = [];
      const worker = app.worker({ waitSeconds: 1, logLine: (line) => lines.push(line) });
      cleanups.push(async () => {
        await worker.stop();
        await app.close();
        sqsClient.destroy();
        dynamoDBClient.destroy();
      });
      const body = `not a task ${randomUUID()}`;
      await sqsClient.send(new SendMessageCommand({ QueueUrl: urls.celery, MessageBody: body }));
      const good = await add.delay(20, 22);

      await worker.start();

      expect(await good.get(T)).toBe(42);
      const dead = await eventually(
        () => broker.receive("celery-dlq", { maxMessages: 10, waitSeconds: 1 }),
        (messages) => messages.length > 0,
        { timeoutMs: 15_000, intervalMs: 0, what: "the message in the DLQ" },
      );
      expect(dead.map((m) => m.body)).toEqual([body]);
      const unreadable = lines
        .map((line) => JSON.parse(line) as Line)
        .filter((l) => l.level === "ERROR" && String(l.message).startsWith("Unreadable message"));
      expect(unreadable.length).toBeGreaterThanOrEqual(2);
    });
  });
});
