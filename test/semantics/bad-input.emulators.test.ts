import { randomUUID } from "node:crypto";
import { CreateQueueCommand, DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDBTableNotFoundError } from "../../runtime/adapters/dynamodb/index.js";
import { SqsBroker, SqsPublishError } from "../../runtime/adapters/sqs/index.js";
import { CanvasError, Celery, chain, group, UnknownQueueError } from "../../runtime/index.js";
import { type AwsApp, awsApp, messagesLeft } from "../support/aws-app.js";
import { emulatorDynamoDBClient, emulatorSqsClient, localAwsTarget } from "../support/emulators.js";
import { countCommands } from "../support/fauxqs.js";

const target = localAwsTarget();
const REMEDY =
  "Create it with 'celeriac local up -A <module>' on an emulator, or deploy the CDK stack in AWS.";

describe("Bad times on the SQS path (fauxqs + dynalite): refused before anything is sent", () => {
  let env: AwsApp;
  let sends: Map<string, number>;
  beforeAll(async () => {
    env = await awsApp(target, {
      prefix: "badin",
      configureSqs: (client) => {
        sends = countCommands(client);
      },
      app: { queues: ["celery", "lopri"] },
    });
  });
  afterAll(() => env.close());

  it.each([
    ["countdown", { countdown: 1e14 }],
    ["countdown", { countdown: Number.NaN }],
    ["eta", { eta: new Date("never") }],
    ["expires", { expires: Infinity }],
  ])(
    "refuses a bad %s for a task, a group and a chain, and sends nothing",
    async (key, options) => {
      const echo = env.app.task(`badin.echo.${randomUUID().slice(0, 4)}`, (x: unknown) => x);
      const calls = [
        () => echo.applyAsync([1], {}, options as never),
        () =>
          group(echo.s(1), echo.s(2).set({ queue: "lopri" })).applyAsync([], {}, options as never),
        () => chain(echo.s(1), echo.s()).applyAsync([], {}, options as never),
      ];
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CanvasError);
        expect((error as Error).message).toContain(`option '${key}' must be`);
      }
      expect(sends.get("SendMessageBatchCommand") ?? 0).toBe(0);
      expect(await messagesLeft(env.app, env.sqsClient)).toEqual({ celery: 0, lopri: 0 });
    },
  );

  it("refuses a bad timeout before reading the table", async () => {
    const res = env.app.asyncResult(randomUUID());
    await expect(res.get({ timeout: Number.NaN })).rejects.toThrow(
      "get(): option 'timeout' must be a number of seconds ≥ 0 (or Infinity), got NaN.",
    );
  });
});

describe("A missing queue or table names it and the command that creates it", () => {
  const name = `nores-${randomUUID().slice(0, 8)}`;
  const sqsClient = emulatorSqsClient(target.sqsEndpoint);
  const dynamoDBClient = emulatorDynamoDBClient(target.dynamodbEndpoint);
  const sends = countCommands(sqsClient);
  const app = new Celery(name, {
    broker: "sqs://",
    backend: `dynamodb://${name}-results`,
    sqsClient,
    dynamoDBClient,
    queues: ["celery", "lopri"],
  });
  const echo = app.task("nores.echo", (x: unknown) => x);
  afterAll(async () => {
    await app.close();
    sqsClient.destroy();
    dynamoDBClient.destroy();
  });

  it("refuses to send to a queue that was never created, naming queue, routing key and remedy", async () => {
    const error = await echo.delay(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownQueueError);
    expect((error as Error).message).toBe(
      `SQS queue '${name}-celery' for routing key 'celery' does not exist. ${REMEDY}`,
    );
    expect(((error as Error).cause as Error).name).toMatch(/QueueDoesNotExist|NonExistentQueue/);
  });

  it("sends no member of a group when one member's queue is missing", async () => {
    await (app.broker as SqsBroker).ensureQueues(["celery"], { visibilityTimeout: 0 });
    app.setAsCurrent(); // group() sends through the current app
    const before = sends.get("SendMessageBatchCommand") ?? 0;
    const error = await group(echo.s(1), echo.s(2).set({ queue: "lopri" }))
      .delay()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownQueueError);
    expect((error as Error).message).toContain(`'${name}-lopri' for routing key 'lopri'`);
    expect(sends.get("SendMessageBatchCommand") ?? 0).toBe(before);
    const broker = app.broker as SqsBroker;
    expect(await broker.receive("celery", { maxMessages: 10, waitSeconds: 0 })).toEqual([]);
  });

  it("reads from a results table that was never created with the table's name and remedy", async () => {
    const error = await app
      .asyncResult(randomUUID())
      .get({ timeout: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDBTableNotFoundError);
    expect((error as Error).message).toBe(
      `DynamoDB table '${name}-results' does not exist (GetItem). ${REMEDY}`,
    );
    expect(((error as Error).cause as Error).name).toBe("ResourceNotFoundException");
  });

  it("names the queue when a configured queue URL points at a deleted queue", async () => {
    const queueName = `${name}-gone`;
    const { QueueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: queueName }));
    await sqsClient.send(new DeleteQueueCommand({ QueueUrl }));
    const broker = new SqsBroker({
      appName: name,
      client: sqsClient,
      queueUrls: { gone: QueueUrl as string },
    });
    const error = await broker
      .publish([{ queue: "gone", body: "{}", delaySeconds: 0, taskId: "t-1", taskName: "x.y" }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqsPublishError);
    const gone = (error as SqsPublishError).unsent[0]?.code;
    expect(gone).toMatch(/^(QueueDoesNotExist|NonExistentQueue)$/);
    expect((error as Error).message).toContain(
      `x.y[t-1] to 'gone': ${gone}: SQS queue '${queueName}' for routing key 'gone' does not exist. ${REMEDY}`,
    );
    await broker.close();
  });
});
