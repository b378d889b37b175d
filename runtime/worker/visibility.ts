/** The longest wait before a failed record is delivered again. */
export const MAX_REDELIVERY_DELAY_SECONDS = 60;

/**
 * Seconds a record that failed stays hidden before SQS delivers it again: 1, 2, 4 … by
 * its receive count, at most {@link MAX_REDELIVERY_DELAY_SECONDS}. A fault of a moment
 * costs a second, not a visibility timeout; a lasting one backs off.
 *
 * @example
 * redeliveryDelaySeconds(1); // 1
 * redeliveryDelaySeconds(3); // 4
 */
export function redeliveryDelaySeconds(receiveCount: number): number {
  const exponent = Math.max(0, Math.min(receiveCount - 1, 16));
  return Math.min(MAX_REDELIVERY_DELAY_SECONDS, 2 ** exponent);
}

/**
 * Keeps a running record's message hidden: calls `extend` every `intervalMs` until `work`
 * settles, and waits for an extension in flight before settling, so that nothing changes
 * the message's visibility after the caller has gone on (to release it early, say). A
 * failed extension is reported to `onError` and tried again at the next tick.
 */
export async function keepHiddenWhile<T>(
  work: Promise<T>,
  extend: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void = () => {},
): Promise<T> {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(() => extend().catch(onError));
  }, intervalMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    await inFlight;
  }
}
