import { afterAll, beforeAll } from "vitest";
import { describeCanvas } from "../seed/canvas.suite.js";
import { awsApp } from "../support/aws-app.js";
import { localAwsTarget } from "../support/emulators.js";
import { PROJ_OPTIONS, projTasks } from "../support/proj-tasks.js";

// The examples of Celery's Canvas guide, through SqsBroker + DynamoDBBackend on fauxqs +
// dynalite, consumed by app.worker().
const env = await awsApp(localAwsTarget(), { prefix: "canvas", app: PROJ_OPTIONS });
beforeAll(() => env.worker.start());
afterAll(() => env.close());

describeCanvas("SQS + DynamoDB", env.app, projTasks(env.app));
