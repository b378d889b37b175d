/** What the worker banner shows. */
export interface BannerInfo {
  /** `celeriac@<host>`. */
  nodeName: string;
  version: string;
  app: string;
  transport: string;
  results: string;
  /** Where the broker sends requests (an emulator's URL, or `AWS (<region>)`), when it has one. */
  transportEndpoint?: string | undefined;
  /** Where the result backend sends requests, when it has one. */
  resultsEndpoint?: string | undefined;
  concurrency: number;
  /** Routing keys consumed. */
  queues: readonly string[];
  /** Registered task names, builtins left out. */
  tasks: readonly string[];
  /** Shown after the node name, e.g. the platform and the time. */
  platform: string;
}

/**
 * The start-up banner, laid out as Celery's worker prints it (the celery stalk on the
 * left, `[config]`, `[queues]`, then `[tasks]`).
 *
 * @example
 * out.write(formatBanner({ nodeName: "celeriac@box", version: "0.1.0", app: "proj", ... }));
 */
export function formatBanner(info: BannerInfo): string {
  const field = (label: string, value: string) => `.> ${`${label}:`.padEnd(13)}${value}`;
  const [firstQueue = "(none)", ...otherQueues] = info.queues;
  const lines = [
    "",
    ` -------------- ${info.nodeName} v${info.version}`,
    "--- ***** -----",
    `-- ******* ---- ${info.platform}`,
    "- *** --- * ---",
    "- ** ---------- [config]",
    `- ** ---------- ${field("app", info.app)}`,
    `- ** ---------- ${field("transport", at(info.transport, info.transportEndpoint))}`,
    `- ** ---------- ${field("results", at(info.results, info.resultsEndpoint))}`,
    `- *** --- * --- ${field("concurrency", `${info.concurrency} (batches of up to 10 in flight)`)}`,
    "-- ******* ----",
    "--- ***** ----- [queues]",
    ` -------------- .> ${firstQueue}`,
    ...otherQueues.map((q) => `                .> ${q}`),
    "",
    "[tasks]",
    ...(info.tasks.length > 0 ? info.tasks.map((t) => `  . ${t}`) : ["  (none)"]),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

/** `sqs:// at http://127.0.0.1:9324`, or the transport alone when it has no endpoint. */
function at(transport: string, endpoint: string | undefined): string {
  return endpoint === undefined ? transport : `${transport} at ${endpoint}`;
}
