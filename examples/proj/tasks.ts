import { app } from "./celery.js";

export { app };

/** Python's ValueError, so the seed's chord error reads as in Celery's docs. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** `x + y`; like Python, it refuses to add a number and a string. */
export const add = app.task("proj.tasks.add", (x: number, y: number) => {
  if (typeof x !== "number" || typeof y !== "number") {
    throw new TypeError(`unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`);
  }
  return x + y;
});

export const mul = app.task("proj.tasks.mul", (x: number, y: number) => x * y);

export const xsum = app.task("proj.tasks.xsum", (numbers: number[]) =>
  numbers.reduce((a, b) => a + b, 0),
);

/** An errback: receives the id of the task that failed. */
export const logError = app.task(
  "proj.tasks.log_error",
  (taskId: string) => `task ${taskId} failed`,
);

/** A callback that ignores its parent's result (used immutable, with `si`). */
export const resetBuffers = app.task("proj.tasks.reset_buffers", () => "buffers reset");

/** Always fails, for the chord error example. */
export const raisingTask = app.task("proj.tasks.raising_task", (): number => {
  throw new ValueError("something something");
});
