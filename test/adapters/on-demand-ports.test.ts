import { describe, expect, expectTypeOf, it } from "vitest";
import { DynamoDBBackend } from "../../runtime/adapters/dynamodb/dynamodb-backend.js";
import { LazyDynamoDBBackend } from "../../runtime/adapters/dynamodb/lazy-dynamodb-backend.js";
import { MemoryBroker } from "../../runtime/adapters/memory/memory-broker.js";
import { DeadLetterQueues, deadLetterQueuesOf } from "../../runtime/adapters/sqs/dead-letters.js";
import { LazySqsBroker } from "../../runtime/adapters/sqs/lazy-sqs-broker.js";
import { SqsBroker } from "../../runtime/adapters/sqs/sqs-broker.js";

// What Node users get from sqs:// and dynamodb:// (runtime/adapters/aws-transports-on-demand.ts)
// must offer what a bundle's SqsBroker and DynamoDBBackend offer, or code that reaches an
// app's broker (the CLI's dlq commands, a test's ensureQueues) works in one and not the other.

/**
 * The public members of `A` that `B` lacks or offers with a type that does not fit in
 * their place (checked by tsc, as `npm test` runs it).
 */
type Missing<A, B> = {
  [K in keyof A]: K extends keyof B ? (B[K] extends A[K] ? never : K) : K;
}[keyof A];

describe("The on-demand ports offer what the SDK-loading ones do", () => {
  it("LazySqsBroker has every public member of SqsBroker, of the same type", () => {
    expectTypeOf<Missing<SqsBroker, LazySqsBroker>>().toEqualTypeOf<never>();
    const lazy = new LazySqsBroker({ appName: "shape" });
    const direct = new SqsBroker({ appName: "shape" });
    expect(lazy.queueName("celery")).toBe(direct.queueName("celery"));
    expect(lazy.maxMessageBytes("shape-celery")).toBe(direct.maxMessageBytes("shape-celery"));
    expect(lazy.description).toBe(direct.description);
  });

  it("gives `celeriac dlq` the dead-letter queues of an sqs:// broker loaded on demand", async () => {
    const lazy = new LazySqsBroker({ appName: "shape" });
    expect(await deadLetterQueuesOf(lazy)).toBeInstanceOf(DeadLetterQueues);
    expect(await deadLetterQueuesOf(new MemoryBroker())).toBeUndefined();
    await lazy.close();
  });

  it("answers as a closed SqsBroker does when closed before its first request", async () => {
    const lazy = new LazySqsBroker({ appName: "shape" });
    await lazy.close();
    const closed = new SqsBroker({ appName: "shape" });
    await closed.close();
    const poll = { maxMessages: 10, waitSeconds: 20 };
    expect(await lazy.receive("shape-celery", poll)).toEqual([]);
    expect(await closed.receive("shape-celery", poll)).toEqual([]);
  });

  it("reads CELERIAC_QUEUE_URLS when the app is made, as SqsBroker does", async () => {
    const before = process.env.CELERIAC_QUEUE_URLS;
    process.env.CELERIAC_QUEUE_URLS = JSON.stringify({ celery: "http://127.0.0.1:1/q/shape" });
    try {
      const lazy = new LazySqsBroker({ appName: "shape" });
      process.env.CELERIAC_QUEUE_URLS = "not json";
      const dlqs = await lazy.deadLetterQueues();
      expect(dlqs).toBeInstanceOf(DeadLetterQueues);
      await lazy.close();
    } finally {
      if (before === undefined) delete process.env.CELERIAC_QUEUE_URLS;
      else process.env.CELERIAC_QUEUE_URLS = before;
    }
  });

  it("LazyDynamoDBBackend has every public member of DynamoDBBackend but its client, of the same type", () => {
    expectTypeOf<Missing<DynamoDBBackend, LazyDynamoDBBackend>>().toEqualTypeOf<"client">();
    const options = { tableName: "results", layout: "celery" } as const;
    const lazy = new LazyDynamoDBBackend(options);
    expect(lazy.description).toBe(new DynamoDBBackend(options).description);
    expect(lazy.tableName).toBe("results");
  });

  it("checks a resultExpires that is not a positive number when the app is made", () => {
    expect(
      () => new LazyDynamoDBBackend({ tableName: "results", layout: "celeriac", resultExpires: 0 }),
    ).toThrow(/resultExpires is 0; give a positive number of seconds/);
  });
});
