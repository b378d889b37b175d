import { describe, expect, it } from "vitest";
import { chain, chord, TimeoutError } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

// A small queue size limit stands in for SQS's (1 MiB): header results whose sum is
// over it, each well under it.
const env = await runningMemoryApp({
  broker: { maxMessageBytes: 4000, visibilityTimeout: 0.2, maxReceiveCount: 3 },
});
const { app, broker } = env;

const big = app.task("rv.lg.big", (n: number) => "x".repeat(1500) + String(n));
const count = app.task("rv.lg.count", (xs: string[]) => xs.length);
const len = app.task("rv.lg.len", (s: string) => s.length);

describe("results larger than a message", () => {
  // DESIGN.md: "The chord body receives header results in order ... or carried by
  // reference when large." At the very least, get() must not wait forever.
  it("a chord whose joined header results exceed the message limit still settles", async () => {
    const res = await chord([big.s(1), big.s(2), big.s(3)], count.s()).delay();
    const outcome = await res.get({ timeout: 4 }).then(
      (v) => v,
      (e: unknown) => e,
    );
    expect(outcome).not.toBeInstanceOf(TimeoutError);
    expect(outcome).toBe(3);
  });

  it("a chain step whose parent's result exceeds the message limit: get() settles", async () => {
    const huge = app.task("rv.lg.huge", () => "y".repeat(5000));
    const res = await chain(huge.s(), len.s()).delay();
    const outcome = await res.get({ timeout: 4 }).then(
      (v) => v,
      (e: unknown) => e,
    );
    expect(outcome).not.toBeInstanceOf(TimeoutError);
    expect(outcome).toBe(5000);
    expect(broker.deadLetters("celery")).toEqual([]);
  });
});
