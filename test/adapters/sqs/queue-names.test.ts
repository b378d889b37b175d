import { describe, expect, it } from "vitest";
import { QueueNamer, sanitiseQueueName } from "../../../runtime/adapters/sqs/queue-names.js";
import { queueUrlsFromEnv } from "../../../runtime/adapters/sqs/queue-urls.js";
import { ConfigurationError } from "../../../runtime/errors/usage-errors.js";

describe("Function: sanitiseQueueName", () => {
  it("replaces characters SQS does not allow with '-'", () => {
    expect(sanitiseQueueName("proj-celery.priority:high")).toBe("proj-celery-priority-high");
  });

  it("cuts a long name to 76 characters (room for '-dlq') with a hash that keeps it unique", () => {
    const a = sanitiseQueueName(`${"x".repeat(100)}a`);
    const b = sanitiseQueueName(`${"x".repeat(100)}b`);
    expect(a).toHaveLength(76);
    expect(b).toHaveLength(76);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("Class: QueueNamer", () => {
  it("names a queue <appName>-<key> unless queueNames maps the key", () => {
    const namer = new QueueNamer("proj", { priority: "urgent_work" });
    expect(namer.nameOf("celery")).toBe("proj-celery");
    expect(namer.nameOf("priority")).toBe("urgent_work");
  });

  it("refuses two routing keys that would share one queue", () => {
    const namer = new QueueNamer("proj");
    namer.nameOf("a.b");
    expect(() => namer.nameOf("a-b")).toThrow(
      /'a\.b' and 'a-b' would both use SQS queue 'proj-a-b'/,
    );
  });

  it("refuses explicit names SQS would reject, all of them in one error", () => {
    expect(() => new QueueNamer("proj", { a: "has.dot", b: "y".repeat(77) })).toThrow(
      /queueNames\['a'\].*queueNames\['b'\]/,
    );
  });
});

describe("Function: queueUrlsFromEnv", () => {
  it("reads a JSON object of routing key → URL", () => {
    expect(queueUrlsFromEnv({ CELERIAC_QUEUE_URLS: '{"celery":"http://q/1"}' })).toEqual({
      celery: "http://q/1",
    });
  });

  it("is empty when the variable is unset", () => {
    expect(queueUrlsFromEnv({})).toEqual({});
  });

  it.each([
    ["not JSON", "{celery:", /is not valid JSON/],
    ["an array", '["http://q/1"]', /must be a JSON object/],
    ["a non-string URL", '{"celery":1}', /\['celery'\] must be a queue URL string/],
  ])("refuses %s with a ConfigurationError", (_, raw, pattern) => {
    const read = () => queueUrlsFromEnv({ CELERIAC_QUEUE_URLS: raw });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(pattern);
  });
});
