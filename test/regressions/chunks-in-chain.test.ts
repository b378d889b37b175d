import { describe, expect, it } from "vitest";
import { chain } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 5 };

const add = app.task("rv.ch.add", (x: number, y: number) => x + y);
const collect = app.task("rv.ch.collect", (xs: unknown) => xs);

describe("chunks inside a chain", () => {
  it("chain(chunks, collect): the step after chunks runs (it is not dropped)", async () => {
    const res = await chain(
      add.chunks(
        [
          [1, 1],
          [2, 2],
        ],
        1,
      ),
      collect.s(),
    ).delay();
    // Whatever the exact value, the chain's last task must finish.
    await expect(res.get(T)).resolves.toBeDefined();
  });

  it("chain(a, chunks): the chain's result handle resolves", async () => {
    const res = (await chain(
      add.s(1, 1),
      add.chunks(
        [
          [1, 1],
          [2, 2],
        ],
        1,
      ),
    ).delay()) as unknown as {
      get(o: object): Promise<unknown>;
    };
    await expect(res.get(T)).resolves.toBeDefined();
  });
});
