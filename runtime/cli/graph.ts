import { APP_OPTION, expectPositionals, parseCommandArgs, requireApp } from "./args.js";
import type { Command } from "./command.js";
import { println } from "./io.js";
import { withApp } from "./with-app.js";

const NAME = "graph";

/**
 * `celeriac graph -A <module> <id>`: the dependency graph of a result and everything it
 * spawned, as Graphviz DOT (`| dot -Tpng -o graph.png`), or as indented text with `--text`.
 */
export const graph: Command = {
  name: NAME,
  summary: "Print the dependency graph of a task's result as Graphviz DOT.",
  usage: "graph -A <module> <id> [--text]",
  details: [
    "-A, --app <module>  the module that exports the app",
    "<id>                the task id",
    "--text              an indented text view instead of DOT",
  ],
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      ...APP_OPTION,
      text: { type: "boolean" },
    });
    const [id] = expectPositionals(NAME, positionals, ["id"]);
    const spec = requireApp(NAME, values.app);
    return withApp(io, spec, async (app) => {
      const deps = await app.asyncResult(id).graph();
      if (values.text) println(io.out, deps.toString());
      else io.out.write(deps.toDot());
      return 0;
    });
  },
};
