import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { CeleriacError } from "../../runtime/errors/celeriac-error.js";
import type { Broker, OutgoingMessage, ReceivedMessage } from "../../runtime/ports/broker.js";

/** Options the suite asks a broker factory for. */
export interface BrokerFactoryOptions {
  /** Seconds a received, unacknowledged message stays hidden. */
  visibilityTimeout: number;
}

/** A broker under test, with what the suite needs around it. */
export interface BrokerHarness {
  broker: Broker;
  /** Makes queue `name` exist, where the transport needs queues created first (SQS). */
  createQueue?(name: string): Promise<void>;
  /** Cleans up after the test (queues, clients); called after `broker.close()`. */
  dispose?(): Promise<void>;
}

/** Builds a fresh broker for one test. */
export type BrokerFactory = (
  options: BrokerFactoryOptions,
) => BrokerHarness | Promise<BrokerHarness>;

function message(queue: string, delaySeconds = 0, body?: string): OutgoingMessage {
  const taskId = randomUUID();
  return {
    queue,
    body: body ?? JSON.stringify({ id: taskId, task: "tests.add", args: [2, 2] }),
    delaySeconds,
    taskId,
    taskName: "tests.add",
  };
}

/** Receives until `count` distinct messages have arrived or `timeoutMs` passed. */
async function receiveAtLeast(
  broker: Broker,
  queue: string,
  count: number,
  timeoutMs = 10_000,
): Promise<ReceivedMessage[]> {
  const got = new Map<string, ReceivedMessage>();
  const deadline = Date.now() + timeoutMs;
  while (got.size < count && Date.now() < deadline) {
    for (const m of await broker.receive(queue, { maxMessages: 10, waitSeconds: 1 })) {
      got.set(m.messageId, m);
    }
  }
  return [...got.values()];
}

/**
 * The broker contract (runtime/ports/broker.ts), run against any adapter. Every test
 * works on its own fresh queue (`q-<uuid>`).
 *
 * @example
 * describeBroker("memory", (options) => ({ broker: new MemoryBroker(options) }));
 */
export function describeBroker(name: string, factory: BrokerFactory): void {
  describe(`Broker conformance: ${name}`, () => {
    const harnesses: BrokerHarness[] = [];

    async function open(visibilityTimeout = 1): Promise<{ broker: Broker; queue: string }> {
      const harness = await factory({ visibilityTimeout });
      harnesses.push(harness);
      const queue = `q-${randomUUID()}`;
      await harness.createQueue?.(queue);
      return { broker: harness.broker, queue };
    }

    afterEach(async () => {
      for (const harness of harnesses.splice(0)) {
        await harness.broker.close();
        await harness.dispose?.();
      }
    });

    describe("Method: publish / receive", () => {
      it("delivers a published body once, with receiveCount 1", async () => {
        const { broker, queue } = await open();
        const sent = message(queue);
        await broker.publish([sent]);
        const [got, ...rest] = await receiveAtLeast(broker, queue, 1);
        expect(rest).toEqual([]);
        expect(got?.body).toBe(sent.body);
        expect(got?.receiveCount).toBe(1);
        expect(got?.messageId).toEqual(expect.any(String));
        expect(got?.receiptHandle).toEqual(expect.any(String));
      });

      it("hides a delayed message until it is due", async () => {
        const { broker, queue } = await open();
        const sent = message(queue, 2);
        await broker.publish([sent]);
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 0 })).toEqual([]);
        const [got] = await receiveAtLeast(broker, queue, 1);
        expect(got?.body).toBe(sent.body);
      });

      it("delivers all 25 messages of one publish call", async () => {
        const { broker, queue } = await open(30);
        const sent = Array.from({ length: 25 }, () => message(queue));
        await broker.publish(sent);
        const got = await receiveAtLeast(broker, queue, 25, 15_000);
        expect(got.map((m) => m.body).sort()).toEqual(sent.map((m) => m.body).sort());
      });

      it("returns at most maxMessages", async () => {
        const { broker, queue } = await open(30);
        const sent = Array.from({ length: 5 }, () => message(queue));
        await broker.publish(sent);
        const first = await broker.receive(queue, { maxMessages: 2, waitSeconds: 5 });
        expect(first.length).toBeGreaterThanOrEqual(1);
        expect(first.length).toBeLessThanOrEqual(2);
        const rest = await receiveAtLeast(broker, queue, 5 - first.length);
        expect([...first, ...rest].map((m) => m.body).sort()).toEqual(
          sent.map((m) => m.body).sort(),
        );
      });

      it("waits for a message published during a long poll", async () => {
        const { broker, queue } = await open();
        const polling = broker.receive(queue, { maxMessages: 1, waitSeconds: 10 });
        const sent = message(queue);
        await broker.publish([sent]);
        const got = await polling;
        expect(got.map((m) => m.body)).toEqual([sent.body]);
      });

      it("returns no messages from an empty queue once waitSeconds has passed", async () => {
        const { broker, queue } = await open();
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 1 })).toEqual([]);
      });

      it("rejects an oversized body naming the task id and its size, and sends nothing", async () => {
        const { broker, queue } = await open();
        const size = broker.maxMessageBytes(queue) + 1;
        const small = message(queue);
        const big = message(queue, 0, "x".repeat(size));
        const error = await broker.publish([small, big]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CeleriacError);
        const text = (error as Error).message;
        expect(text).toContain(big.taskId);
        expect(text.includes(String(size)) || text.includes(size.toLocaleString("en-US"))).toBe(
          true,
        );
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 1 })).toEqual([]);
      });
    });

    describe("Method: ack / release", () => {
      it("redelivers an unacknowledged message after the visibility timeout, with receiveCount 2", async () => {
        const { broker, queue } = await open(1);
        const sent = message(queue);
        await broker.publish([sent]);
        const [first] = await receiveAtLeast(broker, queue, 1);
        expect(first?.receiveCount).toBe(1);
        const [again] = await receiveAtLeast(broker, queue, 1);
        expect(again?.body).toBe(sent.body);
        expect(again?.receiveCount).toBe(2);
      });

      it("removes an acknowledged message for good", async () => {
        const { broker, queue } = await open(1);
        await broker.publish([message(queue)]);
        const [got] = await receiveAtLeast(broker, queue, 1);
        await broker.ack(queue, [got!.receiptHandle]);
        // longer than the visibility timeout: an unacknowledged message would be back
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 2 })).toEqual([]);
      });

      it("acknowledges several messages in one call", async () => {
        const { broker, queue } = await open(1);
        await broker.publish([message(queue), message(queue), message(queue)]);
        const got = await receiveAtLeast(broker, queue, 3);
        await broker.ack(
          queue,
          got.map((m) => m.receiptHandle),
        );
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 2 })).toEqual([]);
      });

      it("makes a released message visible at once with release(…, 0)", async () => {
        const { broker, queue } = await open(60);
        const sent = message(queue);
        await broker.publish([sent]);
        const [first] = await receiveAtLeast(broker, queue, 1);
        await broker.release(queue, first!.receiptHandle, 0);
        // well within the 60 s visibility timeout: only the release can bring it back
        const [again] = await receiveAtLeast(broker, queue, 1, 5_000);
        expect(again?.body).toBe(sent.body);
        expect(again?.receiveCount).toBe(2);
      });
    });

    describe("Method: purge", () => {
      it("empties the queue", async () => {
        const { broker, queue } = await open(30);
        await broker.publish([message(queue), message(queue), message(queue)]);
        const removed = await broker.purge(queue);
        if (removed !== undefined) expect(removed).toBe(3);
        expect(await broker.receive(queue, { maxMessages: 10, waitSeconds: 1 })).toEqual([]);
      });
    });
  });
}
