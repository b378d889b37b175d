import type { Outcome } from "./execute.js";

/** Counts per task name for one batch. */
export class TaskCounters {
  private readonly counts = new Map<
    string,
    { Succeeded: number; Failed: number; Retried: number }
  >();

  add(task: string, outcome: Outcome | "ERROR"): void {
    const c = this.counts.get(task) ?? { Succeeded: 0, Failed: 0, Retried: 0 };
    if (outcome === "SUCCESS") c.Succeeded++;
    else if (outcome === "FAILURE" || outcome === "REVOKED" || outcome === "ERROR") c.Failed++;
    else if (outcome === "RETRY") c.Retried++;
    else return;
    this.counts.set(task, c);
  }

  /**
   * CloudWatch embedded metric format: one JSON line per task name, which Lambda's log
   * stream turns into the metrics `Succeeded`, `Failed` and `Retried` (namespace
   * `Celeriac`, dimensions `App` and `Task`) with no API call.
   */
  toEmfLines(app: string, now = Date.now()): string[] {
    return [...this.counts.entries()].map(([task, c]) =>
      JSON.stringify({
        _aws: {
          Timestamp: now,
          CloudWatchMetrics: [
            {
              Namespace: "Celeriac",
              Dimensions: [["App", "Task"]],
              Metrics: [
                { Name: "Succeeded", Unit: "Count" },
                { Name: "Failed", Unit: "Count" },
                { Name: "Retried", Unit: "Count" },
              ],
            },
          ],
        },
        App: app,
        Task: task,
        ...c,
      }),
    );
  }
}
