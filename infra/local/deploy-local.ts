/**
 * `npm run deploy:local`: starts moto_server on 127.0.0.1, deploys the seed's CDK app to it
 * with the CDK CLI (functions bundled by the local esbuild), prints the outputs and the
 * environment to talk to it, and keeps moto running until Ctrl-C. moto cannot run
 * Lambda code, so the event source mappings are deployed disabled; run the local worker
 * (which calls the same handler) against the deployed queues instead.
 */
import { join, resolve } from "node:path";
import { findOnPath, startMotoServer } from "../../runtime/local/moto-server.js";
import { deployToMoto } from "./deploy-to-moto.js";

async function main(): Promise<void> {
  const moto = findOnPath("moto_server");
  if (!moto) {
    console.error(
      'moto_server is not on the PATH: pip install "moto[server]" (moto 5), then run this again.',
    );
    process.exitCode = 1;
    return;
  }
  const root = resolve(import.meta.dirname, "../..");
  const server = await startMotoServer(moto);
  console.log(`moto_server listening on ${server.endpoint}; deploying the stack (about 20 s)…`);
  try {
    const deployment = await deployToMoto({
      endpoint: server.endpoint,
      stackName: process.env.CELERIAC_STACK ?? "CeleriacProj",
      projectRoot: root,
      cdkOut: join(root, "cdk.out", "moto"),
    });
    const env: Record<string, string> = {
      ...deployment.env,
      CELERIAC_BROKER: "sqs://",
      CELERIAC_BACKEND: `dynamodb://${deployment.outputs.TableName}`,
      CELERIAC_QUEUE_URLS: JSON.stringify({
        celery: deployment.outputs.QueueUrlCelery,
        lopri: deployment.outputs.QueueUrlLopri,
      }),
    };
    console.log("\nStack outputs:");
    for (const [key, value] of Object.entries(deployment.outputs))
      console.log(`  ${key} = ${value}`);
    console.log("\nIn another shell:");
    for (const [key, value] of Object.entries(env)) console.log(`  export ${key}='${value}'`);
    console.log(
      "  npx celeriac worker -A examples/proj/tasks.ts -l INFO     # stands in for Lambda's event source mapping",
    );
    console.log("  npx celeriac call proj.tasks.add '[2, 2]' -A examples/proj/tasks.ts");
    console.log("  npx celeriac result <id> --wait -A examples/proj/tasks.ts");
    console.log("  aws --endpoint-url $AWS_ENDPOINT_URL sqs list-queues       # look around");
    console.log("\nmoto keeps running until Ctrl-C.");
    await new Promise<void>((done) => {
      process.once("SIGINT", () => done());
      process.once("SIGTERM", () => done());
    });
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
