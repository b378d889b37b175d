import { randomUUID } from "node:crypto";
import { GetQueueUrlCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqsBroker } from "../../runtime/adapters/sqs/index.js";
import { findOnPath, type MotoServer, startMotoServer } from "../../runtime/local/moto-server.js";
import { Celery, chain, type LocalWorker } from "../../runtime/index.js";
import { emulatorDynamoDBClient, emulatorSqsClient, eventually } from "../support/emulators.js";
import {
  type PythonProcess,
  requireCelery,
  runPython,
  startPython,
  waitForOutput,
} from "./python.js";

// Both directions against the real thing: Debian's Celery 5.2 worker and producer in
// Python, a Celeriac worker and producer here, one moto_server for SQS and DynamoDB.
// Fails (never skips) when Python, Celery or moto_server is missing.

const python = await requireCelery();
const motoPath = findOnPath("moto_server");
if (motoPath === undefined)
  throw new Error('moto_server is not on the PATH: install it with pip install "moto[server]".');

const name = `interop-${randomUUID().slice(0, 8)}`;
const table = `${name}-results`;
let moto: MotoServer;
let app: Celery;
let worker: LocalWorker;
let celeryWorker: PythonProcess | undefined;
let pythonEnv: Record<string, string>;
const logs: string[] = [];
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  moto = await startMotoServer(motoPath, { timeoutMs: 30_000 });
  const sqsClient = emulatorSqsClient(moto.endpoint);
  const dynamoDBClient = emulatorDynamoDBClient(moto.endpoint);
  clients.push(sqsClient, dynamoDBClient);
  app = new Celery(name, {
    broker: "sqs://",
    backend: `dynamodb://${table}?layout=celery`,
    sqsClient,
    dynamoDBClient,
    queues: ["celery", "py"],
    taskRoutes: { "pyproj.tasks.*": "py" },
    queueProtocols: { py: "celery" },
  });
  app.task("proj.tasks.add", (x: number, y: number) => x + y);
  app.task("proj.tasks.mul", (x: number, y: number) => x * y);
  app.task(
    "proj.tasks.scale",
    (x: number, opts: { factor?: number; offset?: number } = {}) =>
      x * (opts.factor ?? 1) + (opts.offset ?? 0),
  );
  app.task("proj.tasks.fail", (message: string) => {
    throw new RangeError(message);
  });
  // Kombu 5.2 sends no VisibilityTimeout on receive: the queue's own applies. Three
  // receives before the DLQ keeps the unreadable-message check short.
  const urls = await (app.broker as SqsBroker).ensureQueues(app.queues, {
    visibilityTimeout: 30,
    maxReceiveCount: 3,
  });
  await app.backend.ensureResources?.();
  const queues = Object.fromEntries(
    Object.entries(urls).map(([key, url]) => [`${name}-${key}`, url]),
  );
  pythonEnv = {
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    INTEROP_ENDPOINT: moto.endpoint,
    INTEROP_QUEUES: JSON.stringify(queues),
    INTEROP_PY_QUEUE: `${name}-py`,
    INTEROP_TS_QUEUE: `${name}-celery`,
    INTEROP_TABLE: table,
  };
  celeryWorker = startPython(
    [
      "-m",
      "celery",
      "-A",
      "pyproj",
      "worker",
      "-P",
      "threads",
      "-c",
      "4",
      "--without-gossip",
      "--without-mingle",
      "--without-heartbeat",
      "-Q",
      `${name}-py`,
      "-l",
      "INFO",
    ],
    pythonEnv,
  );
  worker = app.worker({
    queues: ["celery"],
    concurrency: 4,
    logLine: (line) => logs.push(line),
  });
  await worker.start();
  await waitForOutput(celeryWorker, /ready\./, "the Celery worker's 'ready.'", 45_000);
});

afterAll(async () => {
  // INTEROP_DEBUG=1 prints the Celery worker's output and the Celeriac worker's log lines.
  if (process.env.INTEROP_DEBUG) console.log(celeryWorker?.output(), logs.join("\n"));
  await celeryWorker?.stop();
  await worker?.stop();
  await app?.close();
  for (const c of clients) c.destroy();
  await moto?.close();
});

describe(`Celery interop (${python})`, () => {
  describe("Celeriac producer → Celery worker", () => {
    it("runs a plain task by name and reads its result", async () => {
      const res = await app.sendTask<number>("pyproj.tasks.add", [2, 2]);
      expect(await res.get({ timeout: 30 })).toBe(4);
      expect(await res.state()).toBe("SUCCESS");
    });

    it("passes kwargs and a countdown", async () => {
      const started = Date.now();
      const sig = app.signature("pyproj.tasks.scale", {
        args: [3],
        kwargs: { factor: 10, offset: 1 },
      });
      const res = await sig.applyAsync([], {}, { countdown: 2 });
      expect(await res.get({ timeout: 30 })).toBe(31);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    });

    it("runs a chain whose steps Celery forwards", async () => {
      const steps = chain(
        app.signature("pyproj.tasks.add", { args: [4, 4] }),
        app.signature("pyproj.tasks.mul", { args: [8] }),
        app.signature("pyproj.tasks.mul", { args: [10] }),
      );
      const res = await steps.delay();
      expect(await res.get({ timeout: 30 })).toBe(640);
      expect(await res.parent?.get({ timeout: 5 })).toBe(64);
    });

    it("runs a chain that hops between the engines", async () => {
      // Python add → TypeScript mul → Python mul: each side forwards by its own routes.
      const hops = chain(
        app.signature("pyproj.tasks.add", { args: [1, 2] }),
        app.signature("proj.tasks.mul", { args: [5] }),
        app.signature("pyproj.tasks.mul", { args: [2] }),
      );
      expect(await (await hops.delay()).get({ timeout: 30 })).toBe(30);
    });

    it("reads a Python failure with its class name and message", async () => {
      const res = await app.sendTask("pyproj.tasks.fail", ["no such order 42"]);
      const error = (await res.get({ timeout: 30, propagate: false })) as Error;
      expect(error.name).toBe("InvalidOrder");
      expect(error.message).toBe("no such order 42");
      expect(await res.state()).toBe("FAILURE");
      expect(await res.traceback()).toMatch(/Traceback[\s\S]*InvalidOrder: no such order 42/);
    });
  });

  describe("Celery producer → Celeriac worker", () => {
    it("runs a plain task, kwargs with a countdown, a chain and a failure; Python reads them all", async () => {
      const stdout = await runPython(["produce.py"], pythonEnv, 90_000);
      const seen = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
      expect(seen).toMatchObject({
        plain: 4,
        kwargs: 31,
        chain: 640,
        chain_parent: 64,
        failure: { type: "RangeError", message: "no such order 42" },
        failure_state: "FAILURE",
      });
      expect(seen.kwargs_elapsed as number).toBeGreaterThanOrEqual(1.9);
      expect(seen.failure_traceback).toMatch(/RangeError: no such order 42/);
    });
  });

  describe("Messages Celeriac cannot read", () => {
    it("refuses a pickled Celery message, never runs it, and leaves it intact in the DLQ", async () => {
      const stdout = await runPython(
        ["send_one.py", "proj.tasks.add", "[5, 5]", "pickle"],
        pythonEnv,
        30_000,
      );
      const id = stdout.trim();
      const sqs = emulatorSqsClient(moto.endpoint);
      clients.push(sqs);
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: `${name}-celery-dlq` }),
      );
      const dead = await eventually(
        async () =>
          (
            await sqs.send(
              new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
            )
          ).Messages ?? [],
        (messages) => messages.length > 0,
        { timeoutMs: 40_000, intervalMs: 200, what: `the pickled message ${id} in the DLQ` },
      );
      const payload = JSON.parse(Buffer.from(dead[0]!.Body!, "base64").toString("utf8")) as {
        "content-type": string;
        headers: { id: string };
      };
      expect(payload["content-type"]).toBe("application/x-python-serialize");
      expect(payload.headers.id).toBe(id);
      expect(await app.asyncResult(id).state()).toBe("PENDING");
      expect(logs.join("\n")).toContain("application/x-python-serialize");
    });
  });
});
