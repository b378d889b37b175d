/** What the fault injectors did, and when, for a suite's figures. */

export type FaultKind =
  | "duplicate-send"
  | "send-failed"
  | "send-partial"
  | "write-throttled"
  | "write-failed-after"
  | "read-throttled"
  | "worker-killed"
  | "poison";

/** Milliseconds between a record's first fault and its terminal write: p50 and max. */
export interface RecoveryFigures {
  samples: number;
  p50Ms: number | undefined;
  maxMs: number | undefined;
}

/**
 * Counts injected faults by kind and keeps, per task id, when the first fault that named
 * it happened and when its terminal state (SUCCESS, FAILURE, REVOKED) first landed in the
 * results table.
 */
export class FaultLog {
  readonly counts = new Map<FaultKind, number>();
  private readonly firstFault = new Map<string, number>();
  private readonly terminalAt = new Map<string, number>();

  /** Notes a fault of `kind` that touched the records of `taskIds` (maybe none known). */
  fault(kind: FaultKind, taskIds: readonly string[] = [], at = Date.now()): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    for (const id of taskIds) {
      // Only faults before the record was terminal delay it: later ones hit duplicates.
      if (this.terminalAt.has(id) || this.firstFault.has(id)) continue;
      this.firstFault.set(id, at);
    }
  }

  /** Notes that the terminal state of `taskId` has landed (the first time counts). */
  terminal(taskId: string, at = Date.now()): void {
    if (!this.terminalAt.has(taskId)) this.terminalAt.set(taskId, at);
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /**
   * Recovery time per faulted record: for each task id a fault named before its terminal
   * write, the time from that first fault to the terminal write landing. Faults that name
   * no task (chord counter shards, receives) and records that never became terminal (those
   * are counted as lost by the workflow checks) give no sample.
   */
  recovery(): RecoveryFigures {
    const samples: number[] = [];
    for (const [id, at] of this.firstFault) {
      const done = this.terminalAt.get(id);
      if (done !== undefined) samples.push(done - at);
    }
    samples.sort((a, b) => a - b);
    return {
      samples: samples.length,
      p50Ms: samples.length > 0 ? samples[Math.floor((samples.length - 1) / 2)] : undefined,
      maxMs: samples.at(-1),
    };
  }

  /** `kind=n, …` for the figures line. */
  describeCounts(): string {
    const parts = [...this.counts.entries()].map(([k, n]) => `${k}=${n}`);
    return parts.length > 0 ? parts.join(", ") : "none";
  }
}

/** The task id a results-table key names (`task#<id>`, `claim#<id>[:retry-n]`), if any. */
export function taskIdOfKey(pk: string | undefined): string | undefined {
  const match = /^(?:task|claim)#([^:#]+)/.exec(pk ?? "");
  return match?.[1];
}

/** The task id in a Celeriac message body, or `undefined` for anything unreadable. */
export function taskIdOfBody(body: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(body ?? "") as { headers?: { id?: unknown } }).headers?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
