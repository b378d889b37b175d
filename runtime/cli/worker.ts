import { hostname, release, type } from "node:os";
import {
  APP_OPTION,
  expectPositionals,
  parseCommandArgs,
  parseInteger,
  requireApp,
  splitList,
} from "./args.js";
import type { Command } from "./command.js";
import { println, type Writer } from "./io.js";
import { loadApp } from "./load-app.js";
import { formatLogLine, type LogFormat } from "./log-format.js";
import { CliUsageError } from "./usage-error.js";
import { celeriacVersion } from "./version.js";
import { userTaskNames } from "./with-app.js";
import { formatBanner } from "./worker-banner.js";

const NAME = "worker";

/** Log levels, least severe first; a line is printed when its level is at or above `-l`. */
const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
type Level = (typeof LEVELS)[number];
const ALIASES: Record<string, Level> = { WARNING: "WARN", CRITICAL: "ERROR", FATAL: "ERROR" };

/**
 * `celeriac worker -A <module> [-Q q1,q2] [-c N] [-l INFO]`: prints Celery's banner,
 * consumes the app's queues in this process with `app.worker()` (the local worker that
 * calls the Lambda handler), prints the handler's JSON log lines at or above `-l`, and
 * on SIGINT or SIGTERM stops receiving, finishes the batches in flight, closes the app
 * and exits with 0.
 */
export const worker: Command = {
  name: NAME,
  summary: "Consume the app's queues in this process (the Lambda handler, run locally).",
  usage: "worker -A <module> [-Q q1,q2] [-c N] [-l INFO|WARN|ERROR] [--log-format text|json]",
  details: [
    "-A, --app <module>       the module that exports the app",
    "-Q, --queues <q1,q2>     the queues (routing keys) to consume (default: all the app's)",
    "-c, --concurrency <N>    batches of up to 10 messages in flight at once (default: 4)",
    "-l, --loglevel <level>   DEBUG, INFO (a line per task), WARN (retries, and failures) or ERROR (failures) (default: WARN)",
    "--log-format <format>    text (Celery's layout, tracebacks below) or json (one object a line) (default: text)",
    "Stops on Ctrl-C (SIGINT) or SIGTERM after the tasks in flight finish.",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      ...APP_OPTION,
      queues: { type: "string", short: "Q", multiple: true },
      concurrency: { type: "string", short: "c" },
      loglevel: { type: "string", short: "l" },
      "log-format": { type: "string" },
    });
    expectPositionals(NAME, positionals, []);
    const spec = requireApp(NAME, values.app);
    const level = parseLevel(values.loglevel ?? "WARN");
    const format = parseFormat(values["log-format"] ?? "text");
    const concurrency =
      values.concurrency === undefined
        ? undefined
        : parseInteger(NAME, "--concurrency", values.concurrency);
    const queues = splitList(values.queues);

    const app = await loadApp(spec, io.cwd);
    try {
      const unknown = (queues ?? []).filter((q) => !app.queues.includes(q));
      if (unknown.length > 0) {
        throw new CliUsageError(
          `app '${app.name}' has no queue ${unknown.join(", ")}; its queues are ${app.queues.join(", ")}.`,
          NAME,
        );
      }
      const local = app.worker({
        ...(queues ? { queues } : {}),
        ...(concurrency === undefined ? {} : { concurrency }),
        logLine: logFilter(io.out, level, format),
      });
      // Listen for SIGINT/SIGTERM before anything is printed, so that a signal that comes
      // as soon as the banner is seen finds the handler in place.
      const shutdown = io.waitForShutdown();
      const nodeName = `celeriac@${hostname()}`;
      io.out.write(
        formatBanner({
          nodeName,
          version: celeriacVersion(),
          app: app.name,
          transport: app.broker.description,
          transportEndpoint: await app.broker.endpoint?.(),
          results: app.backend.description,
          resultsEndpoint: await app.backend.endpoint?.(),
          concurrency: local.concurrency,
          queues: local.queues,
          tasks: userTaskNames(app),
          platform: `${type()}-${release()} ${new Date().toISOString()}`,
        }),
      );
      await local.start();
      println(io.out, `${nodeName} ready.`);
      const signal = await shutdown;
      println(io.out, `worker: Warm shutdown (${signal}): finishing the tasks in flight...`);
      await local.stop();
      println(io.out, `${nodeName} stopped.`);
      return 0;
    } finally {
      if (io.closeApp) await app.close();
    }
  },
};

function parseLevel(text: string): Level {
  const upper = text.toUpperCase();
  const level = ALIASES[upper] ?? LEVELS.find((l) => l === upper);
  if (!level) {
    throw new CliUsageError(`--loglevel must be one of ${LEVELS.join(", ")}, got '${text}'.`, NAME);
  }
  return level;
}

function parseFormat(text: string): LogFormat {
  if (text === "text" || text === "json") return text;
  throw new CliUsageError(`--log-format must be text or json, got '${text}'.`, NAME);
}

/** A `logLine` that prints the JSON lines whose `level` is at or above `min`, in `format`. */
export function logFilter(
  out: Writer,
  min: Level,
  format: LogFormat = "json",
): (line: string) => void {
  const threshold = LEVELS.indexOf(min);
  return (line) => {
    if (LEVELS.indexOf(levelOf(line)) >= threshold) println(out, formatLogLine(line, format));
  };
}

/** The `level` of a JSON log line; lines without a known one count as INFO. */
function levelOf(line: string): Level {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    const raw = typeof parsed.level === "string" ? parsed.level.toUpperCase() : "INFO";
    return ALIASES[raw] ?? LEVELS.find((l) => l === raw) ?? "INFO";
  } catch {
    return "INFO";
  }
}
