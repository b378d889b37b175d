import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, Duration, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, describe, expect, it } from "vitest";
import {
  CeleriacService,
  type CeleriacServiceProps,
  CeleriacServicePropsError,
  workerEntrySource,
  writeWorkerEntry,
} from "../../infra/construct/index.js";
import { resolveProps } from "../../infra/construct/props.js";
import { REPO_ROOT } from "../../infra/proj-stack.js";
import { INLINE_CODE } from "./fixtures.js";

const VALID: CeleriacServiceProps = {
  appName: "proj",
  routingKeys: ["celery", "lopri"],
  code: INLINE_CODE,
};

/** The problems `props` are refused with (empty when accepted). */
function problemsOf(props: Partial<CeleriacServiceProps>): readonly string[] {
  try {
    resolveProps({ ...VALID, ...props } as CeleriacServiceProps);
    return [];
  } catch (error) {
    if (error instanceof CeleriacServicePropsError) return error.problems;
    throw error;
  }
}

describe("Function: resolveProps", () => {
  it("gathers every problem into one error before throwing", () => {
    const build = () =>
      new CeleriacService(new Stack(new App(), "S"), "Svc", {
        appName: "proj",
        routingKeys: [],
        code: INLINE_CODE,
        batchSize: 50,
        maxConcurrency: 1,
      });
    expect(build).toThrow(CeleriacServicePropsError);
    expect(build).toThrow(
      [
        "Invalid CeleriacService props (3 problems):",
        "  - routingKeys is empty; give at least one (e.g. ['celery'])",
        "  - batchSize 50 is over 10, which needs a maxBatchingWindow",
        "  - maxConcurrency must be an integer from 2 to 1000, got 1",
      ].join("\n"),
    );
  });

  it("accepts the seed's props and applies the defaults", () => {
    const config = resolveProps(VALID);
    expect(config).toMatchObject({
      functionTimeout: Duration.seconds(30),
      batchSize: 10,
      maxReceiveCount: 5,
      tableName: "proj-results",
      deletionProtection: true,
      pointInTimeRecovery: true,
      eventSourcesEnabled: true,
      runtime: lambda.Runtime.NODEJS_24_X,
    });
    expect(config.visibilityTimeout.toSeconds()).toBe(180);
    expect([...config.queueNames]).toEqual([
      ["celery", "proj-celery"],
      ["lopri", "proj-lopri"],
    ]);
  });

  it.each<[string, Partial<CeleriacServiceProps>, RegExp]>([
    ["an appName unusable in queue names", { appName: "my.app" }, /appName 'my\.app'/],
    ["an empty appName", { appName: "" }, /appName ''/],
    ["a duplicate routing key", { routingKeys: ["celery", "celery"] }, /'celery' twice/],
    ["a routing key with a dot", { routingKeys: ["a.b"] }, /routing key 'a\.b'/],
    ["a queue name over 76 characters", { routingKeys: ["k".repeat(72)] }, /longer than 76/],
    ["no worker code", { code: undefined }, /give the worker code/],
    ["two kinds of worker code", { entry: "handlers/worker.ts" }, /only one of entry/],
    [
      "a missing entry file",
      { code: undefined, entry: "nope/worker.ts" },
      /entry 'nope\/worker\.ts' does not exist/,
    ],
    [
      "a timeout over 900 s",
      { functionTimeout: Duration.minutes(16) },
      /functionTimeout must be 1 to 900/,
    ],
    ["batchSize 0", { batchSize: 0 }, /batchSize must be an integer from 1 to 10000/],
    [
      "batchSize 10001",
      { batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) },
      /batchSize must/,
    ],
    [
      "a batching window over 5 minutes",
      { maxBatchingWindow: Duration.seconds(301) },
      /maxBatchingWindow/,
    ],
    ["maxConcurrency 1001", { maxConcurrency: 1001 }, /maxConcurrency/],
    ["maxReceiveCount 0", { maxReceiveCount: 0 }, /maxReceiveCount/],
    ["resultExpires 0", { resultExpires: 0 }, /resultExpires must be a number of seconds above 0/],
    ["resultExpires below 0", { resultExpires: -5 }, /resultExpires/],
    ["a bad table name", { tableName: "a b" }, /tableName 'a b'/],
    ["memory below 128 MiB", { memorySize: 64 }, /memorySize/],
    ["Node 20", { runtime: lambda.Runtime.NODEJS_20_X }, /Node\.js 22 or newer, got nodejs20\.x/],
  ])("refuses %s", (_, props, message) => {
    const problems = problemsOf(props);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("accepts batchSize over 10 with a batching window, and Node 22", () => {
    expect(
      problemsOf({
        batchSize: 10_000,
        maxBatchingWindow: Duration.seconds(1),
        runtime: lambda.Runtime.NODEJS_22_X,
      }),
    ).toEqual([]);
  });
});

describe("Function: writeWorkerEntry", () => {
  const root = mkdtempSync(join(tmpdir(), "celeriac-entry-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("writes an entry that imports the app and exports createWorkerHandler({ app })", () => {
    const tasksModule = resolve(REPO_ROOT, "examples/proj/tasks.ts");
    const runtimeModule = resolve(REPO_ROOT, "runtime/index.ts");
    const file = writeWorkerEntry({ tasksModule, runtimeModule, projectRoot: root });
    expect(file.startsWith(join(root, "node_modules", ".cache", "celeriac", "worker-"))).toBe(true);
    expect(file.endsWith(".mjs")).toBe(true);
    const source = readFileSync(file, "utf8");
    expect(source).toBe(workerEntrySource(tasksModule, runtimeModule));
    expect(source).toContain(`import { app } from ${JSON.stringify(tasksModule)};`);
    expect(source).toContain(
      `import { createWorkerHandler } from ${JSON.stringify(runtimeModule)};`,
    );
    expect(source).toContain("export const handler = createWorkerHandler({ app });");
    // The same module gives the same file.
    expect(writeWorkerEntry({ tasksModule, runtimeModule, projectRoot: root })).toBe(file);
  });
});
