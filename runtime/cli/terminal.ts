import { createInterface } from "node:readline/promises";

/**
 * Asks `question` on the process's terminal (the prompt goes to stderr, so stdout stays
 * clean for output) and resolves the line typed; `undefined` when stdin or stderr is
 * not a terminal, so that a command that must confirm refuses instead of waiting.
 */
export function terminalAsk(): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

/** True for an answer that confirms: `yes` or `y`, in any case. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}
