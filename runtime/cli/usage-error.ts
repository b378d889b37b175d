import { ConfigurationError } from "../errors/usage-errors.js";

/**
 * The command line was wrong: an unknown command or option, a missing argument, a value
 * that does not parse. `celeriac` prints it with the command's usage and exits with 2.
 */
export class CliUsageError extends ConfigurationError {
  /** The command whose usage to print, e.g. `call` or `local up`; none for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
