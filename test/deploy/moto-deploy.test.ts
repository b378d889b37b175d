import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deployToMoto,
  functionAssets,
  type MotoDeployment,
} from "../../infra/local/deploy-to-moto.js";
import {
  Celery,
  type LocalWorker,
  type SqsEvent,
  type SqsBatchResponse,
} from "../../runtime/index.js";
import { findOnPath, type MotoServer, startMotoServer } from "../../runtime/local/moto-server.js";

// The CDK app deployed with the CDK CLI to moto_server on 127.0.0.1; the local worker
// consumes the deployed queues with the deployed (bundled) worker code, and the bundled
// producer, invoked in this process with a real event, runs the seed's chain and chord
// to their results in the deployed table.
const moto = findOnPath("moto_server");
if (!moto)
  console.warn("moto_server not on PATH: skipped the CDK deploy test (pip install 'moto[server]')");

type Handler<E, R> = (event: E) => Promise<R>;
const root = resolve(import.meta.dirname, "../..");

describe.skipIf(!moto)("CDK deploy to moto", () => {
  let server: MotoServer;
  let deployment: MotoDeployment;
  let cdkOut: string;
  let app: Celery;
  let workers: LocalWorker[] = [];
  let producer: Handler<unknown, { ids: Record<string, string> }>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startMotoServer(moto!);
    cdkOut = mkdtempSync(join(tmpdir(), "celeriac-deploy-"));
    deployment = await deployToMoto({
      endpoint: server.endpoint,
      stackName: "CeleriacDeployTest",
      projectRoot: root,
      cdkOut,
    });
    // The deployed functions' environment, as moto stores it (references resolved).
    const lambda = new LambdaClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: deployment.outputs.WorkerFunctionCelery,
      }),
    );
    lambda.destroy();
    Object.assign(process.env, deployment.env, config.Environment?.Variables ?? {});
    // The deployed code: each function's bundle from the cloud assembly.
    const assets = Object.entries(functionAssets(deployment));
    const load = async (match: RegExp) => {
      const [, dir] = assets.find(([id]) => match.test(id)) ?? [];
      if (!dir)
        throw new Error(
          `no bundled function matches ${match} in ${assets.map(([id]) => id).join(", ")}`,
        );
      return (await import(pathToFileURL(join(dir, "index.mjs")).href)) as { handler: unknown };
    };
    const worker = (await load(/Worker.*celery/i)).handler as Handler<SqsEvent, SqsBatchResponse>;
    const lopriWorker = (await load(/Worker.*lopri/i)).handler as Handler<
      SqsEvent,
      SqsBatchResponse
    >;
    producer = (await load(/Producer/)).handler as Handler<
      unknown,
      { ids: Record<string, string> }
    >;
    // This process only receives and deletes (what Lambda's event source mapping does);
    // the deployed handlers run the tasks.
    app = new Celery("proj", {
      broker: "sqs://",
      backend: `dynamodb://${deployment.outputs.TableName}`,
      queues: ["celery", "lopri"],
    });
    workers = [
      app.worker({ queues: ["celery"], handler: worker, concurrency: 2 }),
      app.worker({ queues: ["lopri"], handler: lopriWorker, concurrency: 2 }),
    ];
    for (const w of workers) await w.start();
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await app?.close();
    await server?.close();
    if (cdkOut) rmSync(cdkOut, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("deploys the queues, the table and the functions, with outputs", () => {
    expect(deployment.outputs.QueueUrlCelery).toMatch(/proj-celery$/);
    expect(deployment.outputs.QueueUrlLopri).toMatch(/proj-lopri$/);
    expect(deployment.outputs.TableName).toBeTruthy();
    expect(deployment.outputs.ProducerFunction).toBeTruthy();
    expect(JSON.parse(process.env.CELERIAC_QUEUE_URLS ?? "{}")).toEqual({
      celery: deployment.outputs.QueueUrlCelery,
      lopri: deployment.outputs.QueueUrlLopri,
    });
  });

  it("runs add, the seed's chain and a chord of 10 sent by the deployed producer", async () => {
    const response = await producer({ add: [2, 2], chain: true, chord: 10 });
    const { add, chain, chord } = response.ids;
    expect(await app.asyncResult(add!).get({ timeout: 60 })).toBe(4);
    expect(await app.asyncResult(chain!).get({ timeout: 60 })).toBe(640);
    expect(await app.asyncResult(chord!).get({ timeout: 60 })).toBe(90);
  }, 120_000);
});
