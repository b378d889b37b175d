import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FIRST_PAUSE_MS, GROUP_FIRST_PAUSE_MS, pollUntil } from "../../runtime/results/poll.js";

/**
 * The pauses a wait takes between reads, read off a fake clock: `check` notes the
 * clock at each call and answers on the `readyAt`-th call.
 */
async function pausesOf(
  readyAt: number,
  options: { interval?: number },
  firstPauseMs?: number,
): Promise<number[]> {
  const calls: number[] = [];
  const done = pollUntil(
    async () => {
      calls.push(Date.now());
      return calls.length === readyAt ? "ready" : undefined;
    },
    options,
    async () => "pending",
    "get()",
    firstPauseMs,
  );
  while (calls.length < readyAt) await vi.advanceTimersToNextTimerAsync();
  await expect(done).resolves.toBe("ready");
  return calls.slice(1).map((t, i) => t - calls[i]!);
}

describe("Function: pollUntil (the schedule of get()'s reads)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads at once, then after pauses from FIRST_PAUSE_MS doubling up to interval", async () => {
    expect(FIRST_PAUSE_MS).toBe(2);
    const pauses = await pausesOf(11, { interval: 0.5 });
    expect(pauses).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 500, 500]);
  });

  it("keeps interval as the longest pause, even below the first pause", async () => {
    expect(await pausesOf(4, { interval: 0.001 })).toEqual([1, 1, 1]);
  });

  it("starts a group's wait at GROUP_FIRST_PAUSE_MS", async () => {
    const pauses = await pausesOf(5, { interval: 0.5 }, GROUP_FIRST_PAUSE_MS);
    expect(pauses).toEqual([10, 20, 40, 80]);
  });

  it("makes one read and no pause when the value is there at once", async () => {
    expect(await pausesOf(1, {})).toEqual([]);
  });
});
