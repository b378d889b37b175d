import { describe, expect, it } from "vitest";
import type { CurrentRequest } from "../../runtime/canvas/canvas-app.js";
import { currentTaskScope, runInTaskScope } from "../../runtime/worker/task-scope.js";

function scopeOf(id: string): CurrentRequest {
  return { id, rootId: id, spawned: [] };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("Task scope", () => {
  it("gives a body its task across its awaits, and nothing outside any body", async () => {
    const seen = await runInTaskScope(scopeOf("a"), async () => {
      const before = currentTaskScope()?.id;
      await tick();
      return [before, currentTaskScope()?.id];
    });
    expect(seen).toEqual(["a", "a"]);
    expect(currentTaskScope()).toBeUndefined();
  });

  it("keeps bodies that run at the same time apart", async () => {
    const body = (id: string) =>
      runInTaskScope(scopeOf(id), async () => {
        await tick();
        const first = currentTaskScope()?.id;
        await tick();
        return `${first}${currentTaskScope()?.id}`;
      });
    expect(await Promise.all([body("a"), body("b"), body("c")])).toEqual(["aa", "bb", "cc"]);
  });

  it("gives a body run inside another body its own task, then the outer one back", async () => {
    const seen = await runInTaskScope(scopeOf("outer"), async () => {
      const inner = await runInTaskScope(scopeOf("inner"), async () => {
        await tick();
        return currentTaskScope()?.id;
      });
      return [inner, currentTaskScope()?.id];
    });
    expect(seen).toEqual(["inner", "outer"]);
  });

  it("gives no task to work a body left running after it settled, even while another body runs", async () => {
    let late: (() => string | undefined) | undefined;
    const leftBehind = new Promise<string | undefined>((resolve) => {
      late = () => {
        const id = currentTaskScope()?.id;
        resolve(id);
        return id;
      };
    });
    await runInTaskScope(scopeOf("early"), async () => {
      setTimeout(() => late?.(), 20);
    });
    const other = runInTaskScope(scopeOf("other"), async () => {
      await leftBehind;
      return currentTaskScope()?.id;
    });
    expect(await leftBehind).toBeUndefined();
    expect(await other).toBe("other");
  });

  it("closes the scope of a body that throws", async () => {
    await expect(
      runInTaskScope(scopeOf("a"), async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(currentTaskScope()).toBeUndefined();
  });
});
