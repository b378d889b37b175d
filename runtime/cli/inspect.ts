import { parseAppOnly } from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";
import { userTaskNames, withApp } from "./with-app.js";

const NAME = "inspect registered";

/**
 * `celeriac inspect registered -A <module>`: the app's registered tasks, one name a line,
 * sorted, builtins left out. Unlike Celery's, it reads the app itself rather than asking
 * running workers (workers here are Lambda functions, which take no remote control).
 */
export const inspectRegistered: Command = {
  name: NAME,
  summary: "List the tasks the app registers, one name a line (builtins left out).",
  usage: "inspect registered -A <module>",
  details: ["-A, --app <module>  the module that exports the app"],
  async run(argv, io) {
    return withApp(io, parseAppOnly(NAME, argv), async (app) => {
      for (const name of userTaskNames(app)) println(io.out, name);
      return 0;
    });
  },
};
