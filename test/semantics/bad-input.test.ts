import { describe, expect, it } from "vitest";
import {
  CanvasError,
  Celery,
  ConfigurationError,
  group,
  MessageFormatError,
  MessageTooLargeError,
  SerializationError,
  UnknownQueueError,
} from "../../runtime/index.js";
import { decodeRequest } from "../../runtime/message/envelope.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp({ broker: { maxMessageBytes: 4096 } });
const { app, broker } = env;
const echo = app.task("b.echo", (x: unknown) => x);

describe("Bad input is refused at once, with nothing half-sent", () => {
  it("refuses arguments that are not JSON, naming the path", async () => {
    const before = broker.publishedCount;
    await expect(echo.delay({ when: new Date() } as never)).rejects.toThrow(SerializationError);
    await expect(echo.delay({ when: new Date() } as never)).rejects.toThrow(
      /b\.echo .*\[0\]\.when is a Date/,
    );
    await expect(echo.delay(Number.NaN as never)).rejects.toThrow(/NaN/);
    expect(broker.publishedCount).toBe(before);
  });

  it("refuses a message over the queue's size limit, naming task, id and size", async () => {
    const before = broker.publishedCount;
    const big = "x".repeat(5000);
    const error = await echo.delay(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect((error as Error).message).toMatch(
      /Task b\.echo\[[0-9a-f-]+\] makes a message of \d+ bytes; queue 'celery' accepts at most 4096/,
    );
    expect(broker.publishedCount).toBe(before);
  });

  it("sends no member of a group when one member is too large", async () => {
    const before = broker.publishedCount;
    await expect(group(echo.s(1), echo.s("x".repeat(5000)), echo.s(3)).delay()).rejects.toThrow(
      MessageTooLargeError,
    );
    expect(broker.publishedCount).toBe(before);
  });

  it("refuses an unknown queue and lists the declared ones", async () => {
    await expect(echo.applyAsync([1], {}, { queue: "nope" })).rejects.toThrow(UnknownQueueError);
    await expect(echo.applyAsync([1], {}, { queue: "nope" })).rejects.toThrow(
      /'nope' .* declares 'celery', 'lopri'/,
    );
  });

  it("names a bad option and what it should be", () => {
    expect(() => echo.signature([1], {}, { countdown: Number.NaN })).toThrow(
      /option 'countdown' must be a finite number of seconds, got NaN/,
    );
    expect(() => echo.signature([1], {}, { countdwn: 1 } as never)).toThrow(
      /unknown option 'countdwn'/,
    );
    expect(() => echo.signature([1], {}, { link: "x" } as never)).toThrow(CanvasError);
  });

  it("refuses canvases built from non-signatures", () => {
    expect(() => group(1 as never)).toThrow(/item 0 is not a signature/);
  });

  it("refuses a bad app configuration clearly", () => {
    expect(() => new Celery("x", { broker: "rabbit://" })).toThrow(ConfigurationError);
    expect(() => new Celery("x", { broker: "rabbit://" })).toThrow(/known schemes are memory:\/\//);
    expect(() => new Celery("x", { taskRoutes: { "a.b": { queue: "" } } })).toThrow(
      /'a\.b' must give a queue name/,
    );
    expect(() => new Celery("x", { resultExpires: -5 })).toThrow(/resultExpires/);
    app.setAsCurrent();
  });

  it("refuses messages that are not Celeriac envelopes, saying what is wrong", () => {
    expect(() => decodeRequest("{oops")).toThrow(MessageFormatError);
    expect(() => decodeRequest('{"celeriac": 2}')).toThrow(/not a Celeriac envelope version 1/);
    expect(() =>
      decodeRequest('{"celeriac": 1, "headers": {"id": "a"}, "body": [[], {}, {}]}'),
    ).toThrow(/header 'task' must be a non-empty string/);
  });

  it("fails a task whose return value is not JSON, instead of storing something else", async () => {
    const bad = app.task("b.bad", () => new Map());
    await expect((await bad.delay()).get({ timeout: 10 })).rejects.toThrow(
      /return value of b\.bad.* is a Map/,
    );
  });
});
