import { terminalAsk } from "./terminal.js";

/** Where a command writes: `process.stdout`, or a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

/**
 * Everything a command takes from its surroundings, passed in so that commands run the
 * same in a process and in a test. Nothing here is read at import time.
 */
export interface CliIo {
  /** Results and banners. */
  out: Writer;
  /** Warnings and errors. */
  err: Writer;
  /** The directory `-A <module>` paths are relative to. */
  cwd: string;
  /** The environment a command may read while it runs. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves with a signal's name when the command should stop (SIGINT or SIGTERM in a
   * process). Only long-running commands (`worker`, `local serve`) call it.
   */
  waitForShutdown(): Promise<string>;
  /**
   * Whether a command closes the app it loaded when it ends (its clients and timers), so
   * the process can exit. Tests that share an app across commands turn it off.
   * @default true
   */
  closeApp: boolean;
  /**
   * Asks the user a question and resolves the answer; absent when there is no terminal
   * to ask on, so commands that must confirm (`dlq purge` without `-f`) refuse instead.
   */
  ask?: (question: string) => Promise<string>;
}

/** The io of the `celeriac` process: its streams, cwd, environment and signals. */
export function processIo(): CliIo {
  const ask = terminalAsk();
  return {
    out: process.stdout,
    err: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    waitForShutdown: waitForProcessSignal,
    closeApp: true,
    ...(ask ? { ask } : {}),
  };
}

/**
 * Resolves on the first SIGINT or SIGTERM. The listeners are `once`, so a second signal
 * gets Node's default (the process ends at once): Celery's "cold shutdown".
 */
function waitForProcessSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

/** Writes `text` and a newline. */
export function println(writer: Writer, text = ""): void {
  writer.write(`${text}\n`);
}
