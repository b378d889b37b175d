import { describe, expect, it } from "vitest";
import {
  type Broker,
  Celery,
  MemoryBackend,
  MemoryBroker,
  type OutgoingMessage,
  type ReceivedMessage,
  type ResultBackend,
  createWorkerHandler,
  toSqsEvent,
} from "../../runtime/index.js";
import type { ReceiveOptions } from "../../runtime/ports/broker.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { taskRequest } from "../support/task-request.js";

/** A broker of a user's own, written with a `#private` field, as TypeScript's ES2022 output is. */
class PrivateFieldBroker implements Broker {
  readonly description = "private-field://";
  readonly #inner = new MemoryBroker();
  maxMessageBytes(queue: string): number {
    return this.#inner.maxMessageBytes(queue);
  }
  queueName(routingKey: string): string {
    return routingKey;
  }
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return this.#inner.publish(messages);
  }
  receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    return this.#inner.receive(queue, options);
  }
  ack(queue: string, receiptHandles: readonly string[]): Promise<void> {
    return this.#inner.ack(queue, receiptHandles);
  }
  release(queue: string, receiptHandle: string, delaySeconds: number): Promise<void> {
    return this.#inner.release(queue, receiptHandle, delaySeconds);
  }
  purge(queue: string): Promise<number | undefined> {
    return this.#inner.purge(queue);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

describe("Ports of the user's own, written with #private fields", () => {
  it("run a task and send its callback through a Lambda handler", async () => {
    const broker = new PrivateFieldBroker();
    const backend: ResultBackend = new MemoryBackend();
    const app = new Celery("private-ports", { broker, backend, queues: ["celery"] });
    app.task("pp.add", (x: number, y: number) => x + y);
    const handler = createWorkerHandler({ app, writeLine: () => {}, metrics: false });
    const callback = app.signature("pp.add", { args: [10] });
    const callbackId = callback.freeze().id;
    const request = taskRequest({ task: "pp.add", args: [2, 2], callbacks: [callback.toJSON()] });
    const event = toSqsEvent("celery", [
      { messageId: "m", receiptHandle: "r", body: encodeRequest(request), receiveCount: 1 },
    ]);
    const response = await handler(event, { getRemainingTimeInMillis: () => 29_000 });
    expect(response.batchItemFailures).toEqual([]);
    expect(await app.asyncResult(request.id).get({ timeout: 0 })).toBe(4);
    // The callback was published through the user's broker: it waits in its queue.
    const [sent] = await broker.receive("celery", { maxMessages: 1, waitSeconds: 0 });
    expect(sent?.body).toContain(callbackId);
    await app.close();
  });
});
