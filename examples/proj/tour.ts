/**
 * `npm start`: the seed tour. By default it runs on SQS and DynamoDB, through the
 * emulators started in this process (fauxqs and dynalite on 127.0.0.1), with the same
 * adapters, handler and local worker as production. `npm start -- --memory` runs it on
 * the embedded memory runtime instead.
 */
import { startLocalAws } from "../../runtime/local/local-aws.js";

async function main(): Promise<void> {
  const memory = process.argv.includes("--memory");
  const aws = memory ? undefined : await startLocalAws();
  if (aws) {
    Object.assign(process.env, aws.env, {
      CELERIAC_BROKER: "sqs://",
      CELERIAC_BACKEND: "dynamodb://proj-results",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    console.log(
      `Local AWS: SQS ${aws.sqsEndpoint}, DynamoDB ${aws.dynamodbEndpoint} (use --memory for the embedded runtime)`,
    );
  }
  const { app } = await import("./celery.js");
  await app.ensureResources();
  const { runTour } = await import("./tour-steps.js");
  try {
    await runTour();
  } finally {
    await aws?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
