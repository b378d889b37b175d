import type { Celery } from "../app/celery.js";
import type { CliIo } from "./io.js";
import { loadApp } from "./load-app.js";

/**
 * Loads the app of `-A <module>`, runs `work` with it, and closes the app afterwards
 * (when `io.closeApp`), whether `work` succeeded or not.
 */
export async function withApp<T>(
  io: CliIo,
  spec: string,
  work: (app: Celery) => Promise<T>,
): Promise<T> {
  const app = await loadApp(spec, io.cwd);
  try {
    return await work(app);
  } finally {
    if (io.closeApp) await app.close();
  }
}

/** The app's task names, sorted, without Celery's builtins (`celery.*`). */
export function userTaskNames(app: Celery): string[] {
  return [...app.tasks.keys()].filter((name) => !name.startsWith("celery.")).sort();
}
