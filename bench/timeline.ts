/**
 * A request timeline for the latency bench: a middleware on an SDK v3 client that
 * records, for each `send()`, the command, which client made it, when it started and
 * ended (`performance.now()`), and, for a receive, how many messages it returned. The
 * latency bench reads it to say where one round trip's time goes, leg by leg.
 */

/** One request as the timeline saw it. */
export interface TimelineEvent {
  /** Which client: "worker-sqs", "worker-ddb", "caller-ddb"… */
  who: string;
  command: string;
  start: number;
  end: number;
  /** Messages a `ReceiveMessage` returned; undefined for other commands. */
  messages?: number;
}

/** Any SDK v3 client: only its middleware stack is used. */
interface ClientWithStack {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output: unknown }>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<{ output: unknown }>,
      options: { step: "initialize"; name?: string },
    ): void;
  };
}

/** Records the requests of the clients it is attached to, while `on`. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  on = false;

  /** Adds the recording middleware to `client`, naming it `who`. */
  attach(client: unknown, who: string): void {
    (client as ClientWithStack).middlewareStack.add(
      (next, context) => async (args) => {
        const start = performance.now();
        const result = await next(args);
        if (this.on) {
          const output = result.output as { Messages?: unknown[] } | undefined;
          const command = context.commandName ?? "?";
          this.events.push({
            who,
            command,
            start,
            end: performance.now(),
            ...(command === "ReceiveMessageCommand"
              ? { messages: output?.Messages?.length ?? 0 }
              : {}),
          });
        }
        return result;
      },
      { step: "initialize", name: `timeline-${who}` },
    );
  }

  /** The events that ended within [from, to]. */
  between(from: number, to: number): TimelineEvent[] {
    return this.events.filter((e) => e.end >= from && e.end <= to);
  }
}
