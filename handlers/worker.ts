/**
 * The Lambda entry point of the seed project's workers: one function per routing key,
 * each fed by its SQS queue with `ReportBatchItemFailures`. The CDK construct bundles
 * this file with the tasks module and sets CELERIAC_BROKER, CELERIAC_BACKEND and
 * CELERIAC_QUEUE_URLS.
 */
import { app } from "../examples/proj/celery.js";
import "../examples/proj/tasks.js";
import { createWorkerHandler } from "../runtime/index.js";

export const handler = createWorkerHandler({ app });
