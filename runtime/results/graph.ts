import type { ResultHandle } from "./async-result.js";
import type { TaskState } from "./states.js";

/** One node of a dependency graph: a task result, or a group. */
export interface GraphNode {
  id: string;
  kind: "task" | "group";
  state: TaskState | undefined;
}

/**
 * The results a task spawned, as a directed graph (parent → child), like Celery's
 * `DependencyGraph`. Built by walking `children()` without waiting for anything.
 */
export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: [from: string, to: string][] = [];

  /** Walks `root` and every result it spawned, breadth first. */
  static async build(root: ResultHandle): Promise<DependencyGraph> {
    const graph = new DependencyGraph();
    const queue: ResultHandle[] = [root];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (graph.nodes.has(node.id)) continue;
      const isGroup = "results" in node;
      graph.nodes.set(node.id, {
        id: node.id,
        kind: isGroup ? "group" : "task",
        state: isGroup ? undefined : await node.state(),
      });
      for (const child of await node.children()) {
        graph.edges.push([node.id, child.id]);
        queue.push(child);
      }
    }
    return graph;
  }

  /** Ids of the nodes that `id` points to. */
  childrenOf(id: string): string[] {
    return this.edges.filter(([from]) => from === id).map(([, to]) => to);
  }

  /** Graphviz DOT text: `dot -Tpng graph.dot -o graph.png` draws it. */
  toDot(): string {
    const lines = ["digraph dependencies {"];
    for (const node of this.nodes.values()) {
      const label = node.kind === "group" ? `group ${node.id}` : `${node.id}\\n${node.state ?? ""}`;
      const shape = node.kind === "group" ? "box" : "ellipse";
      lines.push(`  "${node.id}" [label="${label}", shape=${shape}];`);
    }
    for (const [from, to] of this.edges) lines.push(`  "${from}" -> "${to}";`);
    lines.push("}");
    return `${lines.join("\n")}\n`;
  }

  /** An indented text view, as Celery prints `res.graph`. */
  toString(): string {
    const lines: string[] = [];
    const targets = new Set(this.edges.map(([, to]) => to));
    const walk = (id: string, depth: number) => {
      lines.push(`${"    ".repeat(depth)}${id}(${this.childrenOf(id).length})`);
      for (const child of this.childrenOf(id)) walk(child, depth + 1);
    };
    for (const id of this.nodes.keys()) if (!targets.has(id)) walk(id, 0);
    return lines.join("\n");
  }
}
