import { afterAll, beforeAll } from "vitest";
import { describeNextSteps } from "../seed/next-steps.suite.js";
import { awsApp } from "../support/aws-app.js";
import { localAwsTarget } from "../support/emulators.js";
import { PROJ_OPTIONS, projTasks } from "../support/proj-tasks.js";

// Every example of Celery's "Next Steps" guide, through SqsBroker + DynamoDBBackend on
// fauxqs + dynalite, consumed by app.worker().
const env = await awsApp(localAwsTarget(), { prefix: "next", app: PROJ_OPTIONS });
beforeAll(() => env.worker.start());
afterAll(() => env.close());

describeNextSteps("SQS + DynamoDB", env.app, projTasks(env.app));
