import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { motoAvailable, motoTarget } from "../support/emulators.js";
import { taskRequest } from "../support/task-request.js";
import {
  DLQ_APP,
  type DlqSpecApp,
  depth,
  dlqSpecApp,
  purgeAll,
  receiveBodies,
  sendBodies,
  deadLetterPoison,
} from "./fixtures/dlq-queues.js";
import { runCeleriac } from "./fixtures/run-cli.js";

// moto scans a whole queue on every call: a few messages per test.
describe.skipIf(!motoAvailable("the dlq commands on moto"))("Command: dlq, on moto", () => {
  let spec: DlqSpecApp;
  let celeryDlq: string;
  const dlq = (...args: string[]) => runCeleriac(["dlq", ...args, "-A", DLQ_APP]);

  beforeAll(async () => {
    spec = await dlqSpecApp(motoTarget()!);
    celeryDlq = spec.queueName("celery", true);
  });
  afterAll(() => spec?.close());
  beforeEach(() => purgeAll(spec));

  it("lists and shows a poison message the worker gave up on, and leaves it visible", async () => {
    await deadLetterPoison(spec, "not a task message");
    const list = await dlq("list", "-Q", "celery");
    expect(list.code).toBe(0);
    expect(list.out.lines[1]).toMatch(new RegExp(`^celery\\s+${celeryDlq}\\s+1\\s+0$`));
    const show = await dlq("show", "-Q", "celery");
    expect(show.code).toBe(0);
    expect(show.out.text).toContain("not a Celeriac task message");
    expect(show.out.text).toContain("body: not a task message");
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("redrives by copying, since moto does not implement the move API", async () => {
    const request = taskRequest({ task: "dlqtest.add", args: [1, 2] });
    const sent = [encodeRequest(request), "b-1", "b-2"];
    await sendBodies(spec.sqs, celeryDlq, sent);
    const { code, out } = await dlq("redrive", "-Q", "celery");
    expect(code).toBe(0);
    expect(out.lines).toEqual([
      `Moved 3 messages from ${celeryDlq} to ${spec.queueName("celery")} by receive, send and delete, 10 at a time; the endpoint does not support StartMessageMoveTask (HTTP 500 with a body that is not an SQS error).`,
    ]);
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 0, inFlight: 0 });
    expect(await receiveBodies(spec.sqs, spec.queueName("celery"))).toEqual([...sent].sort());
  });

  it("purges with -f", async () => {
    await sendBodies(spec.sqs, celeryDlq, ["p-1", "p-2"]);
    const { code, out } = await dlq("purge", "-Q", "celery", "-f");
    expect(code).toBe(0);
    expect(out.lines).toEqual([`Purged 2 messages from ${celeryDlq}.`]);
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 0, inFlight: 0 });
  });
});
