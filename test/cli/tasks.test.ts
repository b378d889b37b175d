import { randomUUID } from "node:crypto";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Celery } from "../../runtime/app/celery.js";
import { loadApp } from "../../runtime/cli/load-app.js";
import { type LocalAws, startLocalAws } from "../../runtime/local/local-aws.js";
import { CLI_APP, REPO_ROOT, runCeleriac, waitFor } from "./fixtures/run-cli.js";

const appName = `cli${randomUUID().slice(0, 8)}`;
let aws: LocalAws;
let app: Celery;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  savedEnv = { ...process.env };
  aws = await startLocalAws();
  Object.assign(process.env, aws.env, {
    CELERIAC_BROKER: "sqs://",
    CELERIAC_BACKEND: `dynamodb://${appName}-results`,
    CELERIAC_TEST_APP: appName,
  });
  app = await loadApp(CLI_APP, REPO_ROOT);
  await app.ensureResources();
});

afterAll(async () => {
  await app?.close();
  await aws?.close();
  process.env = savedEnv;
});

/** Runs `work` while a local worker consumes the app's queues. */
async function withWorker<T>(work: () => Promise<T>): Promise<T> {
  const worker = app.worker({ waitSeconds: 0.2 });
  await worker.start();
  try {
    return await work();
  } finally {
    await worker.stop();
  }
}

async function callTask(...argv: string[]): Promise<string> {
  const { code, out, err } = await runCeleriac(["call", "-A", CLI_APP, ...argv]);
  expect(err.text).toBe("");
  expect(code).toBe(0);
  const [id] = out.lines;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id as string;
}

async function queueDepth(routingKey: string): Promise<number> {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  try {
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: `${appName}-${routingKey}` }),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } finally {
    sqs.destroy();
  }
}

describe("Commands on SQS + DynamoDB (emulators)", () => {
  describe("Command: call, then result --wait", () => {
    it("sends a task by name and prints its result once a worker ran it", async () => {
      const id = await callTask("clitest.add", "[2, 2]");
      const { code, out } = await withWorker(() =>
        runCeleriac(["result", "-A", CLI_APP, id, "--wait", "--timeout", "15"]),
      );
      expect(code).toBe(0);
      expect(out.lines).toEqual(["state:  SUCCESS", "result: 4"]);
    });

    it("sends to the queue given with --queue", async () => {
      const id = await callTask("clitest.mul", "[6, 7]", "--queue", "lopri");
      const { out } = await withWorker(() =>
        runCeleriac(["result", "-A", CLI_APP, id, "--wait", "--timeout", "15"]),
      );
      expect(out.lines).toEqual(["state:  SUCCESS", "result: 42"]);
    });

    it("passes --kwargs to the task, and prints a string result as JSON", async () => {
      const id = await callTask("clitest.greet", '["celery"]', "--kwargs", '{"greeting": "hi"}');
      const { out } = await withWorker(() =>
        runCeleriac(["result", "-A", CLI_APP, id, "--wait", "--timeout", "15"]),
      );
      expect(out.lines).toEqual(["state:  SUCCESS", 'result: "hi, celery"']);
    });

    it("prints the task's error and exits with 1 when the task failed", async () => {
      const id = await callTask("clitest.fail");
      const { code, out } = await withWorker(() =>
        runCeleriac(["result", "-A", CLI_APP, id, "--wait", "--timeout", "15"]),
      );
      expect(code).toBe(1);
      expect(out.lines).toEqual([
        "state:  FAILURE",
        "error:  TypeError: unsupported operand type(s) for +: 'int' and 'str'",
      ]);
    });

    it("prints PENDING for an unknown id without waiting", async () => {
      const { code, out } = await runCeleriac(["result", "-A", CLI_APP, randomUUID()]);
      expect(code).toBe(0);
      expect(out.lines).toEqual(["state:  PENDING"]);
    });

    it("exits with 1 when --wait times out", async () => {
      const run = await runCeleriac([
        "result",
        "-A",
        CLI_APP,
        randomUUID(),
        "--wait",
        "--timeout",
        "0.2",
      ]);
      expect(run.code).toBe(1);
      expect(run.out.lines).toEqual(["state:  PENDING"]);
      expect(run.err.text).toContain("TimeoutError");
    });
  });

  describe("Command: inspect registered", () => {
    it("prints the app's tasks, sorted, without the celery.* builtins", async () => {
      const { code, out } = await runCeleriac(["inspect", "registered", "-A", CLI_APP]);
      expect(code).toBe(0);
      expect(out.lines).toEqual(["clitest.add", "clitest.fail", "clitest.greet", "clitest.mul"]);
    });
  });

  describe("Command: graph", () => {
    it("prints the result's dependency graph as DOT, with the task id", async () => {
      const id = await callTask("clitest.add", "[1, 1]");
      await withWorker(() => app.asyncResult(id).get({ timeout: 15 }));
      const { code, out } = await runCeleriac(["graph", "-A", CLI_APP, id]);
      expect(code).toBe(0);
      expect(out.text).toMatch(/^digraph dependencies \{\n/);
      expect(out.text).toContain(`"${id}" [label="${id}\\nSUCCESS"`);
      expect(out.text.trimEnd().endsWith("}")).toBe(true);
    });
  });

  describe("Command: purge", () => {
    it("empties a queue that holds a task waiting for its countdown", async () => {
      await callTask("clitest.add", "[3, 3]", "--countdown", "60");
      await waitFor(async () => (await queueDepth("celery")) === 1, "the delayed message");
      const questions: string[] = [];
      const ask = (question: string) => {
        questions.push(question);
        return Promise.resolve("yes");
      };
      const { code, out, err } = await runCeleriac(["purge", "-A", CLI_APP, "-Q", "celery"], {
        ask,
      });
      expect(code).toBe(0);
      expect(err.text).toMatch(
        /^WARNING: This will remove all tasks from queue: celery \(sqs:\/\/\)\.\n/,
      );
      expect(err.text).toContain("(to skip this prompt use the -f option)");
      expect(questions).toEqual(["Are you sure you want to delete all tasks (yes/NO)? "]);
      expect(out.lines).toEqual(["Purged celery (the broker does not report how many messages)."]);
      await waitFor(async () => (await queueDepth("celery")) === 0, "the queue to be empty");
    });

    it("deletes nothing unless the answer is yes, and refuses with no terminal and no -f", async () => {
      const no = await runCeleriac(["purge", "-A", CLI_APP], { ask: () => Promise.resolve("") });
      expect(no.code).toBe(0);
      expect(no.out.lines).toEqual(["Nothing deleted."]);
      const unasked = await runCeleriac(["purge", "-A", CLI_APP]);
      expect(unasked.code).toBe(2);
      expect(unasked.err.text).toContain(
        "refusing to delete every message waiting in celery, lopri without confirmation, and there is no terminal to ask on; pass -f",
      );
    });

    it("prints no warning with -f, and refuses a queue the app does not have", async () => {
      const forced = await runCeleriac(["purge", "-A", CLI_APP, "-f"]);
      expect(forced.code).toBe(0);
      expect(forced.err.text).toBe("");
      expect(forced.out.lines).toHaveLength(2);
      const unknown = await runCeleriac(["purge", "-A", CLI_APP, "-Q", "nope", "-f"]);
      expect(unknown.code).toBe(2);
      expect(unknown.err.text).toContain(`app '${appName}' has no queue nope`);
    });
  });

  describe("Command: worker (in-process)", () => {
    it("prints the banner, runs tasks with -l INFO log lines, and stops on the shutdown signal", async () => {
      let stop: (signal: string) => void = () => {};
      const until = new Promise<string>((resolve) => {
        stop = resolve;
      });
      const running = runCeleriac(
        ["worker", "-A", CLI_APP, "-Q", "celery", "-c", "2", "-l", "INFO"],
        { until },
      );
      await waitFor(() => running.out.text.includes(" ready."), "the worker to be ready");
      expect(running.out.text).toContain(`.> app:         ${appName}`);
      expect(running.out.text).toContain(`.> transport:   sqs:// at ${aws.sqsEndpoint}`);
      expect(running.out.text).toContain(
        `.> results:     dynamodb://${appName}-results at ${aws.dynamodbEndpoint}`,
      );
      expect(running.out.text).toContain(".> concurrency: 2");
      expect(running.out.text).toMatch(/\[tasks\]\n {2}\. clitest\.add\n {2}\. clitest\.fail\n/);
      expect(running.out.text).not.toContain("celery.map");

      const id = await callTask("clitest.add", "[20, 22]");
      expect(await app.asyncResult(id).get({ timeout: 15 })).toBe(42);
      await waitFor(() => running.out.text.includes(id), "the task's log line");
      const logLine = running.out.lines.find((l) => l.includes(id)) ?? "";
      expect(logLine).toMatch(
        new RegExp(
          String.raw`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: INFO/MainProcess\] Task clitest\.add\[${id}\] succeeded in \d+\.\d{3}s: 42$`,
        ),
      );

      const failed = await callTask("clitest.fail", "[]");
      await expect(app.asyncResult(failed).get({ timeout: 15 })).rejects.toThrow();
      await waitFor(() => running.out.text.includes(failed), "the failed task's log line");
      const failure = running.out.text.slice(running.out.text.indexOf(`[${failed}]`));
      expect(failure).toMatch(/^\[[^\]]+\] raised unexpected: \w+\('/);
      expect(failure.split("\n")[1]).toMatch(/^\w*Error: /);

      stop("SIGTERM");
      const { code, out } = await running;
      expect(code).toBe(0);
      expect(out.text).toContain("worker: Warm shutdown (SIGTERM)");
    });
  });
});
