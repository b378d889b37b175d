import { afterAll, beforeAll } from "vitest";
import { app } from "../../examples/proj/celery.js";
import * as tasks from "../../examples/proj/tasks.js";
import { describeNextSteps } from "./next-steps.suite.js";

// The seed project itself (examples/proj) on the embedded runtime.
const worker = app.worker({ concurrency: 8, waitSeconds: 0.2 });
beforeAll(() => worker.start());
afterAll(() => worker.stop());

describeNextSteps("memory", app, tasks);
