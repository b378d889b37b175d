import { Celery } from "../../runtime/index.js";

/**
 * The seed's `proj/celery.py`: one app, results kept for an hour, `mul` routed to the
 * `lopri` queue. Broker and backend default to the embedded `memory://` runtime.
 */
export const app = new Celery("proj", {
  broker: process.env.CELERIAC_BROKER ?? "memory://",
  backend: process.env.CELERIAC_BACKEND ?? "memory://",
  resultExpires: 3600,
  taskRoutes: { "proj.tasks.mul": { queue: "lopri" } },
  defaultQueue: "celery",
  queues: ["celery", "lopri"],
});
