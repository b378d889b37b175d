import type { Celery } from "../../runtime/index.js";

/** Python's ValueError, so the chord error reads as in Celery's docs. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** The seed's app options (examples/proj/celery.ts) besides broker and backend. */
export const PROJ_OPTIONS = {
  resultExpires: 3600,
  taskRoutes: { "proj.tasks.mul": { queue: "lopri" } },
  defaultQueue: "celery",
  queues: ["celery", "lopri"],
};

/**
 * The seed's tasks (examples/proj/tasks.ts), declared the same way on `app`. That
 * module cannot be imported here: its app is created at import from the environment.
 */
export function projTasks(app: Celery) {
  const add = app.task("proj.tasks.add", (x: number, y: number) => {
    if (typeof x !== "number" || typeof y !== "number") {
      throw new TypeError(`unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`);
    }
    return x + y;
  });
  const mul = app.task("proj.tasks.mul", (x: number, y: number) => x * y);
  const xsum = app.task("proj.tasks.xsum", (numbers: number[]) =>
    numbers.reduce((a, b) => a + b, 0),
  );
  const logError = app.task("proj.tasks.log_error", (taskId: string) => `task ${taskId} failed`);
  const resetBuffers = app.task("proj.tasks.reset_buffers", () => "buffers reset");
  const raisingTask = app.task("proj.tasks.raising_task", (): number => {
    throw new ValueError("something something");
  });
  return { add, mul, xsum, logError, resetBuffers, raisingTask };
}

/** The seed's tasks, as the seed suites take them. */
export type ProjTasks = ReturnType<typeof projTasks>;
