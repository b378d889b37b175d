/**
 * Which errors are worth trying again at once: throttling, a server-side fault (5xx), a
 * timeout, a dropped connection. Read from the fields AWS SDK v3 errors carry (`name`,
 * `$fault`, `$metadata.httpStatusCode`, `$retryable`) and from Node's socket error codes,
 * so the core needs no SDK import. Anything else (a refused condition, bad input, an
 * unknown table) is not transient: trying again would fail the same way.
 */

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "Throttling",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "LimitExceededException",
  "InternalServerError",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "TransactionInProgressException",
  // our adapters' names for the same (the SDK error is their cause)
  "DynamoDBThrottledError",
]);

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when `error` (or an error it wraps as `cause`) is a fault worth retrying now. */
export function isTransientError(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e !== null && typeof e === "object" && depth < 5;
    depth++
  ) {
    const f = e as ErrorFields;
    if (typeof f.name === "string" && TRANSIENT_NAMES.has(f.name)) return true;
    if (typeof f.code === "string" && TRANSIENT_CODES.has(f.code)) return true;
    if (f.$retryable !== undefined && f.$retryable !== null) return true;
    if (f.$fault === "server") return true;
    const status = f.$metadata?.httpStatusCode;
    if (typeof status === "number" && (status >= 500 || status === 429)) return true;
    e = f.cause;
  }
  return false;
}

/** How {@link retryTransient} backs off. */
export interface TransientRetryPolicy {
  /** Epoch milliseconds after which no further attempt starts. */
  deadline: number;
  /** The first backoff's ceiling; each attempt doubles it. @default 50 */
  baseDelayMs?: number;
  /** The longest backoff. @default 2000 */
  maxDelayMs?: number;
  /** Attempts at most, the first included. @default 10 */
  maxAttempts?: number;
  /** Called before each wait, with the error that caused it. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn`, and again after a jittered exponential backoff ("full jitter": a random wait
 * up to `base × 2^attempt`, capped) while it fails with a transient error and the next
 * attempt can start before `deadline`. Rethrows the last error otherwise. `fn` must be
 * safe to repeat: every port method is.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  policy: TransientRetryPolicy,
): Promise<T> {
  const base = policy.baseDelayMs ?? 50;
  const max = policy.maxDelayMs ?? 2000;
  const attempts = policy.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = Math.round(Math.random() * Math.min(max, base * 2 ** attempt));
      if (
        attempt >= attempts ||
        !isTransientError(error) ||
        Date.now() + delay >= policy.deadline
      ) {
        throw error;
      }
      policy.onRetry?.(error, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
