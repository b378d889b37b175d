import { encodeError } from "../errors/error-codec.js";
import type { TaskMeta } from "../ports/task-meta.js";
import type { JsonValue } from "../types/json.js";
import { AsyncResult } from "./async-result.js";
import type { ResultContext } from "./result-context.js";
import { encodeResultValue } from "./result-ref.js";

/**
 * The result of `apply()`: the task already ran in this process, so every question is
 * answered from memory. Same API as `AsyncResult`.
 */
export class EagerResult<T = unknown> extends AsyncResult<T> {
  private constructor(
    id: string,
    private readonly stored: TaskMeta,
    app: ResultContext,
  ) {
    super(id, app);
  }

  static success<T>(id: string, value: T, app: ResultContext): EagerResult<T> {
    return new EagerResult<T>(
      id,
      {
        taskId: id,
        status: "SUCCESS",
        result: (encodeResultValue(value) ?? null) as JsonValue,
        traceback: null,
        children: [],
        dateDone: new Date().toISOString(),
      },
      app,
    );
  }

  static failure<T>(id: string, error: unknown, app: ResultContext): EagerResult<T> {
    const { stored, traceback } = encodeError(error);
    return new EagerResult<T>(
      id,
      {
        taskId: id,
        status: "FAILURE",
        result: stored,
        traceback,
        children: [],
        dateDone: new Date().toISOString(),
      },
      app,
    );
  }

  protected override async meta(): Promise<TaskMeta> {
    return this.stored;
  }
}
