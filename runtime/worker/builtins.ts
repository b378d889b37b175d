import type { SignatureJSON } from "../canvas/signature-json.js";
import { BUILTIN_CHUNKS, BUILTIN_MAP, BUILTIN_STARMAP } from "../canvas/xmap.js";
import { NotRegistered } from "../errors/task-errors.js";
import type { TaskContext } from "../task/task-context.js";
import type { WorkerHost } from "./worker-host.js";

interface XmapKwargs {
  task: SignatureJSON;
  it: unknown[];
  n?: number;
}

/**
 * Registers Celery's builtin tasks: `celery.map`, `celery.starmap` and `celery.chunks`
 * call the inner task's function inline, once per item, in this worker.
 */
export function registerBuiltins(
  app: WorkerHost & {
    task: (
      name: string,
      fn: (this: TaskContext, kw: XmapKwargs) => Promise<unknown>,
      options: { bind: boolean },
    ) => unknown;
  },
): void {
  const run = async (ctx: TaskContext, inner: SignatureJSON, args: unknown[]): Promise<unknown> => {
    const task = app.getTask(inner.task);
    if (!task)
      throw new NotRegistered(`Task '${inner.task}' is not registered in app '${app.name}'.`, {
        taskId: ctx.request.id,
      });
    const callArgs = inner.immutable ? inner.args : [...args, ...inner.args];
    return task.invoke(callArgs, inner.kwargs ?? {}, {
      ...ctx.request,
      task: inner.task,
      args: callArgs,
    });
  };
  app.task(
    BUILTIN_MAP,
    async function (this: TaskContext, kw: XmapKwargs) {
      const out: unknown[] = [];
      for (const item of kw.it) out.push(await run(this, kw.task, [item]));
      return out;
    },
    { bind: true },
  );
  app.task(
    BUILTIN_STARMAP,
    async function (this: TaskContext, kw: XmapKwargs) {
      const out: unknown[] = [];
      for (const item of kw.it) out.push(await run(this, kw.task, item as unknown[]));
      return out;
    },
    { bind: true },
  );
  app.task(
    BUILTIN_CHUNKS,
    async function (this: TaskContext, kw: XmapKwargs) {
      const n = kw.n ?? 1;
      const parts: unknown[][] = [];
      for (let i = 0; i < kw.it.length; i += n) {
        const part: unknown[] = [];
        for (const item of kw.it.slice(i, i + n))
          part.push(await run(this, kw.task, item as unknown[]));
        parts.push(part);
      }
      return parts;
    },
    { bind: true },
  );
}
