import { DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../runtime/cli/io.js";
import { runCli } from "../../runtime/cli/main.js";
import { encodeCeleryMessage } from "../../runtime/message/celery-wire-write.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { localAwsTarget } from "../support/emulators.js";
import { taskRequest } from "../support/task-request.js";
import {
  arnOf,
  DLQ_APP,
  type DlqSpecApp,
  depth,
  dlqSpecApp,
  purgeAll,
  receiveBodies,
  sendBodies,
  deadLetterPoison,
} from "./fixtures/dlq-queues.js";
import { Captured, CLI_APP, REPO_ROOT, runCeleriac } from "./fixtures/run-cli.js";

let spec: DlqSpecApp;
let celeryDlq: string;

beforeAll(async () => {
  spec = await dlqSpecApp(localAwsTarget());
  celeryDlq = spec.queueName("celery", true);
});
afterAll(() => spec?.close());
beforeEach(async () => {
  spec.fixture.answerInstead(undefined);
  spec.fixture.sentCommands.length = 0;
  await purgeAll(spec);
});

const dlq = (...args: string[]) => runCeleriac(["dlq", ...args, "-A", DLQ_APP]);
const bodies = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe("Command: dlq list", () => {
  it("prints each dead-letter queue with its counts, including a poison message the worker gave up on", async () => {
    await deadLetterPoison(spec, "not a task message");
    const { code, out } = await dlq("list");
    expect(code).toBe(0);
    const keyWidth = "ROUTING KEY".length;
    const nameWidth = celeryDlq.length;
    expect(out.lines).toEqual([
      `${"ROUTING KEY".padEnd(keyWidth)}  ${"DEAD-LETTER QUEUE".padEnd(nameWidth)}  VISIBLE  IN FLIGHT`,
      `${"celery".padEnd(keyWidth)}  ${celeryDlq.padEnd(nameWidth)}        1          0`,
      `${"lopri".padEnd(keyWidth)}  ${spec.queueName("lopri", true).padEnd(nameWidth)}        0          0`,
    ]);
  });

  it("prints only the routing key given with -Q", async () => {
    const { code, out } = await dlq("list", "-Q", "lopri");
    expect(code).toBe(0);
    expect(out.lines).toHaveLength(2);
    expect(out.lines[1]).toMatch(
      new RegExp(`^lopri\\s+${spec.queueName("lopri", true)}\\s+0\\s+0$`),
    );
  });
});

describe("Command: dlq show", () => {
  it("prints task messages and other bodies, and leaves every message visible in the DLQ", async () => {
    const request = taskRequest({ task: "dlqtest.add", args: [2, 2] });
    const long = `{"x":"${"y".repeat(400)}"}`;
    await sendBodies(spec.sqs, celeryDlq, [encodeRequest(request), "plain\ntext", long]);
    const { code, out } = await dlq("show", "-Q", "celery");
    expect(code).toBe(0);
    expect(out.lines[0]).toBe(`3 dead letters in ${celeryDlq} (left in the queue):`);
    expect(out.text).toContain(`task dlqtest.add [${request.id}]`);
    expect(out.text).toContain("body: plain\\ntext");
    expect(out.text.match(/not a Celeriac task message/g)).toHaveLength(2);
    expect(out.text).toContain(
      `body: ${long.slice(0, 300)}… (${long.length - 300} more characters)`,
    );
    expect(out.text).toMatch(
      /message [\w-]+ \(received 1 time(, first at \d{4}-\d\d-\d\dT[\d:.]+Z)?\)/,
    );
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 3, inFlight: 0 });
  });

  it("names the task of a Celery message, and says why a pickled one cannot run", async () => {
    const request = taskRequest({ task: "proj.tasks.add", args: [2, 2] });
    const celery = encodeCeleryMessage(request, { queueName: (key) => `proj-${key}` });
    const pickled = Buffer.from(
      JSON.stringify({
        body: Buffer.from("not json").toString("base64"),
        "content-type": "application/x-python-serialize",
        "content-encoding": "binary",
        headers: { lang: "py", task: "proj.tasks.mul", id: "p-1" },
        properties: { body_encoding: "base64" },
      }),
    ).toString("base64");
    await sendBodies(spec.sqs, celeryDlq, [celery, pickled]);
    const { code, out } = await dlq("show", "-Q", "celery");
    expect(code).toBe(0);
    expect(out.text).toContain(`task proj.tasks.add [${request.id}] (a Celery message)`);
    expect(out.text).toMatch(
      /a Celery message a worker cannot run: .*application\/x-python-serialize/,
    );
  });

  it("prints at most -n messages, and says when there are none", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(3, "m"));
    const some = await dlq("show", "-Q", "celery", "-n", "2");
    expect(some.out.lines[0]).toBe(`2 dead letters in ${celeryDlq} (left in the queue):`);
    expect(some.out.lines.filter((l) => l.includes(". message "))).toHaveLength(2);
    const none = await dlq("show", "-Q", "lopri");
    expect(none.code).toBe(0);
    expect(none.out.lines).toEqual([`No dead letters in ${spec.queueName("lopri", true)}.`]);
  });
});

describe("Command: dlq redrive", () => {
  it("falls back to receive, send and delete where the endpoint lacks the move API (fauxqs)", async () => {
    const sent = bodies(12, "r");
    await sendBodies(spec.sqs, celeryDlq, sent);
    const { code, out } = await dlq("redrive", "-Q", "celery");
    expect(code).toBe(0);
    expect(out.lines).toEqual([
      `Moved 12 messages from ${celeryDlq} to ${spec.queueName("celery")} by receive, send and delete, 10 at a time; the endpoint does not support StartMessageMoveTask (InvalidAction: Unknown action: StartMessageMoveTask).`,
    ]);
    expect(spec.fixture.sentCommands).toContain("StartMessageMoveTaskCommand");
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 0, inFlight: 0 });
    expect(await receiveBodies(spec.sqs, spec.queueName("celery"))).toEqual([...sent].sort());
  });

  it("copies without trying the move API with --method copy", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(3, "c"));
    const { code, out } = await dlq("redrive", "-Q", "celery", "--method", "copy");
    expect(code).toBe(0);
    expect(out.text).toContain("Moved 3 messages");
    expect(out.text).toContain("by receive, send and delete, 10 at a time.");
    expect(spec.fixture.sentCommands).not.toContain("StartMessageMoveTaskCommand");
    expect(await receiveBodies(spec.sqs, spec.queueName("celery"))).toEqual(bodies(3, "c"));
  });

  it("refuses with --method move-task where the endpoint lacks the move API", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(1, "x"));
    const { code, err } = await dlq("redrive", "-Q", "celery", "--method", "move-task");
    expect(code).toBe(1);
    expect(err.text).toContain(
      "RedriveError: Cannot redrive: the endpoint does not support StartMessageMoveTask",
    );
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  describe("by SQS's message-move task (answered in place of the emulator)", () => {
    const inputs: object[] = [];
    function moveTask(statuses: object[]): void {
      inputs.length = 0;
      let polls = 0;
      spec.fixture.answerInstead((command, input) => {
        if (command === "StartMessageMoveTaskCommand") {
          inputs.push(input);
          return { TaskHandle: "handle-1" };
        }
        if (command !== "ListMessageMoveTasksCommand") return undefined;
        const status = statuses[Math.min(polls++, statuses.length - 1)];
        return { Results: [status] };
      });
    }

    it("starts a task from the DLQ's ARN to the queue's and waits until it is COMPLETED", async () => {
      moveTask([
        { TaskHandle: "handle-1", Status: "RUNNING", ApproximateNumberOfMessagesMoved: 1 },
        { Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 3 },
      ]);
      const { code, out } = await dlq("redrive", "-Q", "celery");
      expect(code).toBe(0);
      expect(inputs).toEqual([
        {
          SourceArn: await arnOf(spec.sqs, celeryDlq),
          DestinationArn: await arnOf(spec.sqs, spec.queueName("celery")),
        },
      ]);
      expect(out.lines).toEqual([
        `Moved 3 messages from ${celeryDlq} to ${spec.queueName("celery")} by SQS's message-move task (StartMessageMoveTask).`,
      ]);
    });

    it("reports a task that FAILED with its reason", async () => {
      moveTask([
        { Status: "FAILED", FailureReason: "AccessDenied", ApproximateNumberOfMessagesMoved: 0 },
      ]);
      const { code, err } = await dlq("redrive", "-Q", "celery");
      expect(code).toBe(1);
      expect(err.text).toContain(
        `RedriveError: The message-move task from ${celeryDlq} to ${spec.queueName("celery")} ended FAILED: AccessDenied after moving about 0 messages.`,
      );
    });

    it("stops waiting after --timeout and says how far the task got", async () => {
      moveTask([
        {
          TaskHandle: "handle-1",
          Status: "RUNNING",
          ApproximateNumberOfMessagesMoved: 2,
          ApproximateNumberOfMessagesToMove: 5,
        },
      ]);
      const { code, err } = await dlq("redrive", "-Q", "celery", "--timeout", "0");
      expect(code).toBe(1);
      expect(err.text).toContain("did not complete within 0 s (status RUNNING, about 2 of 5");
      expect(err.text).toContain("aws sqs list-message-move-tasks --source-arn");
    });
  });
});

describe("Command: dlq purge", () => {
  it("deletes every dead letter with -f", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(3, "p"));
    const { code, out } = await dlq("purge", "-Q", "celery", "-f");
    expect(code).toBe(0);
    expect(out.lines).toEqual([`Purged 3 messages from ${celeryDlq}.`]);
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("refuses without -f when there is no terminal to ask on, and deletes nothing", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(1, "p"));
    const { code, err } = await dlq("purge", "-Q", "celery");
    expect(code).toBe(2);
    expect(err.text).toContain(
      `refusing to delete the dead letters of ${celeryDlq} without confirmation, and there is no terminal to ask on; pass -f to delete them.`,
    );
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("asks on a terminal, and deletes only after yes", async () => {
    await sendBodies(spec.sqs, celeryDlq, bodies(2, "p"));
    const asked: string[] = [];
    const withAnswer = async (answer: string) => {
      const out = new Captured();
      const io: Partial<CliIo> = {
        out,
        err: new Captured(),
        cwd: REPO_ROOT,
        closeApp: false,
        ask: (question) => {
          asked.push(question);
          return Promise.resolve(answer);
        },
      };
      const code = await runCli(["dlq", "purge", "-Q", "celery", "-A", DLQ_APP], io);
      return { code, out };
    };
    const declined = await withAnswer("no");
    expect(declined.out.lines).toEqual(["Nothing deleted."]);
    expect(await depth(spec.sqs, celeryDlq)).toEqual({ visible: 2, inFlight: 0 });
    const confirmed = await withAnswer("yes");
    expect(confirmed.out.lines).toEqual([`Purged 2 messages from ${celeryDlq}.`]);
    expect(asked).toEqual([
      "Are you sure you want to delete them (yes/NO)? ",
      "Are you sure you want to delete them (yes/NO)? ",
    ]);
  });
});

describe("Command: dlq (errors)", () => {
  it("names the app's routing keys when -Q names another", async () => {
    const { code, err } = await dlq("show", "-Q", "nope");
    expect(code).toBe(2);
    expect(err.text).toContain(`has no routing key 'nope'; its routing keys are celery, lopri.`);
  });

  it("needs -Q for show, redrive and purge", async () => {
    for (const sub of ["show", "redrive", "purge"]) {
      const { code, err } = await dlq(sub);
      expect(code).toBe(2);
      expect(err.text).toContain("the option -Q/--queue <routing key> is required.");
    }
  });

  it("says the dlq commands need sqs:// on another broker", async () => {
    const { code, err } = await runCeleriac(["dlq", "list", "-A", CLI_APP]);
    expect(code).toBe(2);
    expect(err.text).toContain("uses the broker memory://, which has no dead-letter queues");
  });

  it("names a missing DLQ (or queue) and the command that creates it", async () => {
    const lopriDlq = spec.queueName("lopri", true);
    const { QueueUrl } = await spec.sqs.send(new GetQueueUrlCommand({ QueueName: lopriDlq }));
    await spec.sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const { code, err } = await dlq("list", "-Q", "lopri");
    expect(code).toBe(1);
    expect(err.text).toContain(
      `MissingDeadLetterQueueError: Dead-letter queue '${lopriDlq}' of routing key 'lopri' does not exist (queue '${spec.queueName("lopri")}' names it in its redrive policy). Create it with \`celeriac local up -A ${DLQ_APP}\` on a local emulator, or \`cdk deploy\` in AWS.`,
    );

    const source = await spec.sqs.send(
      new GetQueueUrlCommand({ QueueName: spec.queueName("lopri") }),
    );
    await spec.sqs.send(new DeleteQueueCommand({ QueueUrl: source.QueueUrl }));
    const gone = await dlq("show", "-Q", "lopri");
    expect(gone.code).toBe(1);
    expect(gone.err.text).toContain(
      `Dead-letter queue '${lopriDlq}' of routing key 'lopri' does not exist (nor does its queue '${spec.queueName("lopri")}'). Create it with \`celeriac local up -A ${DLQ_APP}\``,
    );
  });
});
