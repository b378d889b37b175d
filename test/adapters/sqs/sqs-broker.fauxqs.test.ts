import { randomUUID } from "node:crypto";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SqsBroker } from "../../../runtime/adapters/sqs/index.js";
import {
  ConfigurationError,
  MessageTooLargeError,
  UnknownQueueError,
} from "../../../runtime/errors/usage-errors.js";
import type { OutgoingMessage, ReceivedMessage } from "../../../runtime/ports/broker.js";
import {
  countCommands,
  type FauxqsServer,
  sqsClientFor,
  startFauxqs,
} from "../../support/fauxqs.js";

let sqs: FauxqsServer;
const brokers: SqsBroker[] = [];

beforeAll(async () => {
  sqs = await startFauxqs();
});

afterAll(async () => {
  await sqs.close();
});

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

/** A broker with a fresh app name (so a fresh set of queues) and a counted client. */
function makeBroker(
  options: { maxMessageBytes?: number; queueUrls?: Record<string, string> } = {},
): { broker: SqsBroker; client: SQSClient; calls: Map<string, number>; appName: string } {
  const appName = `t${randomUUID().slice(0, 8)}`;
  const client = sqsClientFor(sqs.endpoint);
  const calls = countCommands(client);
  const broker = new SqsBroker({ appName, client, ...options });
  brokers.push(broker);
  return { broker, client, calls, appName };
}

function message(queue: string, body: string, delaySeconds = 0): OutgoingMessage {
  return { queue, body, delaySeconds, taskId: randomUUID(), taskName: "tasks.add" };
}

/** Receives until `count` messages have arrived or `timeoutMs` passes. */
async function receiveAtLeast(
  broker: SqsBroker,
  queue: string,
  count: number,
  timeoutMs = 10_000,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    got.push(...(await broker.receive(queue, { maxMessages: 10, waitSeconds: 1 })));
  }
  return got;
}

async function queueAttributes(client: SQSClient, url: string): Promise<Record<string, string>> {
  const out = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
  );
  return out.Attributes ?? {};
}

describe("Class: SqsBroker (on fauxqs)", () => {
  describe("Method: ensureQueues", () => {
    it("creates the queue and its DLQ with a redrive policy", async () => {
      const { broker, client, appName } = makeBroker();
      const urls = await broker.ensureQueues(["celery"], { maxReceiveCount: 2 });
      const url = urls.celery as string;
      expect(url).toMatch(new RegExp(`/${appName}-celery$`));

      const attrs = await queueAttributes(client, url);
      const dlqArn = (await queueAttributes(client, url.replace(/celery$/, "celery-dlq"))).QueueArn;
      expect(JSON.parse(attrs.RedrivePolicy ?? "{}")).toEqual({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: 2,
      });
      expect(dlqArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${appName}-celery-dlq`);
      expect(attrs.MaximumMessageSize).toBe("1048576");
      expect(attrs.VisibilityTimeout).toBe("180");
    });

    it("is idempotent: a second call returns the same URLs and warns about nothing", async () => {
      const { broker, appName } = makeBroker();
      const warn = vi.fn();
      const again = new SqsBroker({
        appName,
        client: sqsClientFor(sqs.endpoint),
        logger: { warn },
      });
      brokers.push(again);
      const first = await broker.ensureQueues(["celery", "priority"]);
      expect(await again.ensureQueues(["celery", "priority"])).toEqual(first);
      expect(warn).not.toHaveBeenCalled();
    });

    it("keeps a queue that exists with other attributes, with one warning", async () => {
      const { broker, appName } = makeBroker();
      const warn = vi.fn();
      const other = new SqsBroker({
        appName,
        client: sqsClientFor(sqs.endpoint),
        logger: { warn },
      });
      brokers.push(other);
      const first = await broker.ensureQueues(["celery"], { visibilityTimeout: 30 });
      expect(await other.ensureQueues(["celery"], { visibilityTimeout: 60 })).toEqual(first);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toContain(`${appName}-celery`);
    });
  });

  describe("Method: publish", () => {
    it("sends 25 messages in 3 SendMessageBatch calls, and all arrive", async () => {
      const { broker, calls } = makeBroker();
      await broker.ensureQueues(["celery"]);
      const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ n: i }));
      await broker.publish(bodies.map((b) => message("celery", b)));
      expect(calls.get("SendMessageBatchCommand")).toBe(3);

      const got = await receiveAtLeast(broker, "celery", 25);
      expect(got.map((m) => m.body).sort()).toEqual([...bodies].sort());
    });

    it("hides a message with a 1 s delay until the delay has passed", async () => {
      const { broker } = makeBroker();
      await broker.ensureQueues(["celery"]);
      await broker.publish([message("celery", "later", 1)]);
      expect(await broker.receive("celery", { maxMessages: 10, waitSeconds: 0 })).toEqual([]);
      const got = await receiveAtLeast(broker, "celery", 1);
      expect(got.map((m) => m.body)).toEqual(["later"]);
    });

    it("rejects an oversized message before any SendMessageBatch call", async () => {
      const { broker, calls } = makeBroker({ maxMessageBytes: 2048 });
      await broker.ensureQueues(["celery"]);
      const big = { ...message("celery", "x".repeat(2049)), taskId: "id-big" };
      const error = await broker
        .publish([message("celery", "small"), big])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MessageTooLargeError);
      expect((error as Error).message).toContain("tasks.add[id-big]");
      expect((error as Error).message).toContain("2049 bytes");
      expect((error as Error).message).toContain("at most 2048 bytes");
      expect(calls.get("SendMessageBatchCommand") ?? 0).toBe(0);
    });

    it("rejects a queue that does not exist with UnknownQueueError naming key and queue", async () => {
      const { broker, appName, calls } = makeBroker();
      const error = await broker.publish([message("missing", "x")]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownQueueError);
      expect((error as Error).message).toContain("'missing'");
      expect((error as Error).message).toContain(`'${appName}-missing'`);
      expect((error as Error).message).toContain("celeriac local up");
      expect(calls.get("SendMessageBatchCommand") ?? 0).toBe(0);
      await expect(broker.receive("missing", { maxMessages: 1, waitSeconds: 0 })).rejects.toThrow(
        UnknownQueueError,
      );
    });
  });

  describe("Method: receive", () => {
    it("counts receives: 2 after the visibility timeout passes unacknowledged", async () => {
      const { broker } = makeBroker();
      await broker.ensureQueues(["celery"], { visibilityTimeout: 1 });
      await broker.publish([message("celery", "again")]);
      const first = await receiveAtLeast(broker, "celery", 1);
      expect(first.map((m) => m.receiveCount)).toEqual([1]);
      const second = await receiveAtLeast(broker, "celery", 1);
      expect(second.map((m) => [m.messageId, m.receiveCount])).toEqual([[first[0]?.messageId, 2]]);
    });

    it("moves a message received maxReceiveCount times without ack to the DLQ", async () => {
      const { broker } = makeBroker();
      await broker.ensureQueues(["celery"], { visibilityTimeout: 1, maxReceiveCount: 2 });
      await broker.publish([message("celery", "poison")]);
      const counts: number[] = [];
      let dead: ReceivedMessage[] = [];
      const deadline = Date.now() + 15_000;
      while (dead.length === 0 && Date.now() < deadline) {
        const got = await broker.receive("celery", { maxMessages: 10, waitSeconds: 1 });
        counts.push(...got.map((m) => m.receiveCount));
        // The DLQ `<app>-celery-dlq` is the queue of routing key `celery-dlq`.
        dead = await broker.receive("celery-dlq", { maxMessages: 10, waitSeconds: 0 });
      }
      expect(counts).toEqual([1, 2]);
      expect(dead.map((m) => m.body)).toEqual(["poison"]);
    });

    it("resolves [] for a long poll in flight when the broker closes", async () => {
      const { broker } = makeBroker();
      await broker.ensureQueues(["celery"]);
      const poll = broker.receive("celery", { maxMessages: 1, waitSeconds: 20 });
      await broker.close();
      expect(await poll).toEqual([]);
    });
  });

  describe("Methods: ack, release, purge", () => {
    it("ack deletes the messages", async () => {
      const { broker, client } = makeBroker();
      const urls = await broker.ensureQueues(["celery"]);
      await broker.publish([message("celery", "a"), message("celery", "b")]);
      const got = await receiveAtLeast(broker, "celery", 2);
      await broker.ack(
        "celery",
        got.map((m) => m.receiptHandle),
      );
      const attrs = await queueAttributes(client, urls.celery as string);
      expect([
        attrs.ApproximateNumberOfMessages,
        attrs.ApproximateNumberOfMessagesNotVisible,
      ]).toEqual(["0", "0"]);
    });

    it("release(…, 0) makes the message visible again at once", async () => {
      const { broker } = makeBroker();
      await broker.ensureQueues(["celery"]);
      await broker.publish([message("celery", "back")]);
      const [first] = await receiveAtLeast(broker, "celery", 1);
      await broker.release("celery", first?.receiptHandle ?? "", 0);
      const again = await broker.receive("celery", { maxMessages: 10, waitSeconds: 1 });
      expect(again.map((m) => [m.messageId, m.receiveCount])).toEqual([[first?.messageId, 2]]);
    });

    it("purge empties the queue and resolves undefined", async () => {
      const { broker, client } = makeBroker();
      const urls = await broker.ensureQueues(["celery"]);
      await broker.publish([message("celery", "a"), message("celery", "b", 5)]);
      expect(await broker.purge("celery")).toBeUndefined();
      const attrs = await queueAttributes(client, urls.celery as string);
      expect(attrs.ApproximateNumberOfMessages).toBe("0");
      expect(attrs.ApproximateNumberOfMessagesDelayed).toBe("0");
    });
  });

  describe("Configuration from the environment", () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it("takes queue URLs from CELERIAC_QUEUE_URLS without any GetQueueUrl call", async () => {
      const { broker: setup, appName } = makeBroker();
      const urls = await setup.ensureQueues(["celery"]);
      process.env.CELERIAC_QUEUE_URLS = JSON.stringify(urls);
      const client = sqsClientFor(sqs.endpoint);
      const calls = countCommands(client);
      const broker = new SqsBroker({ appName, client });
      brokers.push(broker);
      await broker.publish([message("celery", "via env")]);
      expect((await receiveAtLeast(broker, "celery", 1)).map((m) => m.body)).toEqual(["via env"]);
      expect(calls.get("GetQueueUrlCommand") ?? 0).toBe(0);
    });

    it("refuses CELERIAC_QUEUE_URLS that is not valid JSON", () => {
      process.env.CELERIAC_QUEUE_URLS = "{celery: nope}";
      expect(() => new SqsBroker({ appName: "x", client: sqsClientFor(sqs.endpoint) })).toThrow(
        ConfigurationError,
      );
    });

    it("builds its own client from AWS_ENDPOINT_URL_SQS, sending to it despite fauxqs's queue URL host", async () => {
      const { broker: setup, appName } = makeBroker();
      await setup.ensureQueues(["celery"]);
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
      const broker = new SqsBroker({ appName });
      brokers.push(broker);
      await broker.publish([message("celery", "own client")]);
      expect((await receiveAtLeast(broker, "celery", 1)).map((m) => m.body)).toEqual([
        "own client",
      ]);
    });
  });
});
