import { randomUUID } from "node:crypto";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Celery } from "../../runtime/app/celery.js";
import { loadApp } from "../../runtime/cli/load-app.js";
import { DEFAULT_LOCAL_PORTS } from "../../runtime/cli/local-serve.js";
import { type LocalAws, startLocalAws } from "../../runtime/local/local-aws.js";
import { CLI_APP, REPO_ROOT, runCeleriac, waitFor } from "./fixtures/run-cli.js";

describe("Command: local up", () => {
  const appName = `up${randomUUID().slice(0, 8)}`;
  const table = `${appName}-results`;
  let aws: LocalAws;
  let app: Celery | undefined;
  let savedEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    savedEnv = { ...process.env };
    aws = await startLocalAws();
    Object.assign(process.env, aws.env, {
      CELERIAC_BROKER: "sqs://",
      CELERIAC_BACKEND: `dynamodb://${table}`,
      CELERIAC_TEST_APP: appName,
    });
  });

  afterAll(async () => {
    await app?.close();
    await aws?.close();
    process.env = savedEnv;
  });

  async function queueNames(): Promise<string[]> {
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    try {
      const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
      return QueueUrls.map((url) => url.split("/").pop() ?? "").sort();
    } finally {
      sqs.destroy();
    }
  }

  it("creates the app's queues with their DLQs and the results table, and prints them", async () => {
    expect(await queueNames()).toEqual([]);
    const { code, out } = await runCeleriac(["local", "up", "-A", CLI_APP]);
    app = await loadApp(CLI_APP, REPO_ROOT);
    expect(code).toBe(0);
    expect(out.lines[0]).toBe(`App '${appName}' is ready.`);
    expect(out.lines[1]).toBe("queues (sqs://):");
    expect(out.lines.slice(2, 4).sort()).toEqual([
      `  celery -> ${appName}-celery (dead letters: ${appName}-celery-dlq)`,
      `  lopri -> ${appName}-lopri (dead letters: ${appName}-lopri-dlq)`,
    ]);
    expect(out.lines[4]).toBe(`results: dynamodb://${table}`);
    expect(await queueNames()).toEqual([
      `${appName}-celery`,
      `${appName}-celery-dlq`,
      `${appName}-lopri`,
      `${appName}-lopri-dlq`,
    ]);
    const ddb = new DynamoDBClient({});
    try {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table }));
      expect(Table?.TableStatus).toBe("ACTIVE");
    } finally {
      ddb.destroy();
    }
  });

  it("changes nothing when it runs again", async () => {
    const before = await queueNames();
    const { code, out } = await runCeleriac(["local", "up", "-A", CLI_APP]);
    expect(code).toBe(0);
    expect(out.lines[0]).toBe(`App '${appName}' is ready.`);
    expect(await queueNames()).toEqual(before);
  });
});

describe("Command: local serve", () => {
  it("runs the emulators, prints the env to export, and stops on the shutdown signal", async () => {
    let stop: (signal: string) => void = () => {};
    const until = new Promise<string>((resolve) => {
      stop = resolve;
    });
    // Free ports: the defaults (9324, 8000) may be taken by a developer's own `local serve`.
    const serving = runCeleriac(
      [
        "local",
        "serve",
        "-A",
        "examples/proj/celery.ts",
        "--sqs-port",
        "0",
        "--dynamodb-port",
        "0",
      ],
      { until },
    );
    await waitFor(() => serving.out.text.includes("Ctrl-C"), "the export lines");

    const exports = Object.fromEntries(
      serving.out.lines
        .filter((line) => line.startsWith("export "))
        .map((line) => line.slice("export ".length).split("=", 2) as [string, string]),
    );
    expect(exports.AWS_ENDPOINT_URL_SQS).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(exports.AWS_ENDPOINT_URL_DYNAMODB).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(exports.AWS_REGION).toBe("us-east-1");
    expect(exports.CELERIAC_BROKER).toBe("sqs://");
    expect(exports.CELERIAC_BACKEND).toBe("dynamodb://proj-results");

    const sqs = new SQSClient({
      endpoint: exports.AWS_ENDPOINT_URL_SQS,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    try {
      const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
      expect(QueueUrls).toEqual([]);
    } finally {
      sqs.destroy();
    }

    stop("SIGINT");
    const { code, err } = await serving;
    expect(code).toBe(0);
    expect(err.text).toContain("Received SIGINT; stopping the emulators.");
  });

  it("prints the table given with --table, and listens on 9324 and 8000 by default", async () => {
    expect(DEFAULT_LOCAL_PORTS).toEqual({ sqs: 9324, dynamodb: 8000 });
    const { out } = await runCeleriac(["local", "serve", "--help"]);
    expect(out.text).toContain(
      "--sqs-port <N>       the SQS port (default: 9324; 0 picks a free one)",
    );
    let stop: (signal: string) => void = () => {};
    const until = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const serving = runCeleriac(
      ["local", "serve", "--table", "my-results", "--sqs-port", "0", "--dynamodb-port", "0"],
      { until },
    );
    await waitFor(() => serving.out.text.includes("Ctrl-C"), "the export lines");
    expect(serving.out.lines).toContain("export CELERIAC_BACKEND=dynamodb://my-results");
    stop("SIGTERM");
    expect((await serving).code).toBe(0);
  });

  it("names the flags to use when a port is taken", async () => {
    const aws = await startLocalAws();
    try {
      const port = new URL(aws.sqsEndpoint).port;
      const { code, err } = await runCeleriac(["local", "serve", "--sqs-port", port]);
      expect(code).toBe(2);
      expect(err.text).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(err.text).toContain("--sqs-port and --dynamodb-port");
    } finally {
      await aws.close();
    }
  });

  it("refuses a port that is not a number", async () => {
    const { code, err } = await runCeleriac(["local", "serve", "--sqs-port", "http"]);
    expect(code).toBe(2);
    expect(err.text).toContain("--sqs-port must be a whole number of at least 0, got 'http'.");
  });
});
