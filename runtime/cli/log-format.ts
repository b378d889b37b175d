/** How the CLI worker prints the handler's log lines. */
export type LogFormat = "text" | "json";

interface ParsedLine {
  level?: unknown;
  message?: unknown;
  timestamp?: unknown;
  traceback?: unknown;
  error?: unknown;
}

/**
 * One handler log line (JSON) as a person reads it in a terminal, in Celery's layout:
 * `[2026-12-01 10:00:00,123: INFO/MainProcess] Task proj.tasks.add[id] succeeded in
 * 0.004s: 4`, with a failure's traceback on the lines below. `json` keeps the line as it
 * is (for log shippers); a line that is not JSON is printed as it is either way.
 */
export function formatLogLine(line: string, format: LogFormat): string {
  if (format === "json") return line;
  let parsed: ParsedLine;
  try {
    parsed = JSON.parse(line) as ParsedLine;
  } catch {
    return line;
  }
  if (typeof parsed !== "object" || parsed === null || typeof parsed.message !== "string")
    return line;
  const when = typeof parsed.timestamp === "string" ? new Date(parsed.timestamp) : new Date();
  const level = typeof parsed.level === "string" ? parsed.level.toUpperCase() : "INFO";
  let text = `[${celeryTime(when)}: ${level}/MainProcess] ${parsed.message}`;
  if (typeof parsed.traceback === "string" && parsed.traceback.length > 0) {
    text += `\n${parsed.traceback}`;
  } else if (level !== "INFO" && typeof parsed.error === "string" && !text.includes(parsed.error)) {
    text += `: ${parsed.error}`;
  }
  return text;
}

/** `2026-12-01 10:00:00,123`, in local time, as Celery's log lines show it. */
function celeryTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}
