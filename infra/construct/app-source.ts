import type { CeleriacServiceProps } from "./props.js";

/**
 * What the construct reads from a Celeriac app: its name, its routing keys and how long
 * its results live. A `Celery` app fits (`new Celery("proj", { queues, resultExpires })`);
 * the shape is structural so that an app built from any copy of the package does.
 */
export interface CeleryAppInfo {
  /** `new Celery(name, …)`: queues are named `${name}-${routingKey}`. */
  readonly name: string;
  /** `app.queues`: every routing key the app may send to. */
  readonly queues: readonly string[];
  /** `resultExpires`, in seconds, when the app sets it. */
  readonly resultExpires?: number | undefined;
}

/** The app's name, routing keys and `resultExpires`, and whatever in the props disagrees. */
export interface AppSettings {
  readonly appName: string;
  readonly routingKeys: readonly string[];
  readonly resultExpires: number | undefined;
  readonly problems: readonly string[];
}

/**
 * One source of truth for the app's settings: with `app`, its name, queues and
 * `resultExpires` are the construct's, and any of `appName`, `routingKeys` and
 * `resultExpires` also given must agree with them (each mismatch is named). Without
 * `app`, `appName` and `routingKeys` are required.
 */
export function appSettings(props: CeleriacServiceProps): AppSettings {
  const { app } = props;
  if (app === undefined) {
    const problems =
      props.appName === undefined
        ? [
            "give app (your Celery app: new CeleriacService(this, id, { app, tasksModule })) or appName",
          ]
        : [];
    return {
      appName: props.appName ?? "",
      routingKeys: props.routingKeys ?? [],
      resultExpires: props.resultExpires,
      problems,
    };
  }
  const problems: string[] = [];
  if (props.appName !== undefined && props.appName !== app.name) {
    problems.push(
      `appName '${props.appName}' does not match the app's name '${app.name}' (new Celery("${app.name}", …)); leave appName out or make them agree`,
    );
  }
  if (props.routingKeys !== undefined) {
    const missing = app.queues.filter((q) => !props.routingKeys?.includes(q));
    const extra = props.routingKeys.filter((q) => !app.queues.includes(q));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`the app's ${missing.join(", ")} missing`] : []),
        ...(extra.length > 0 ? [`${extra.join(", ")} not in the app's queues`] : []),
      ];
      problems.push(
        `routingKeys [${props.routingKeys.join(", ")}] do not match the app's queues [${app.queues.join(", ")}] (${parts.join("; ")}); leave routingKeys out or list the app's queues`,
      );
    }
  }
  if (props.resultExpires !== undefined && props.resultExpires !== app.resultExpires) {
    problems.push(
      `resultExpires ${props.resultExpires} does not match the app's resultExpires ${String(app.resultExpires)}; leave it out or make them agree`,
    );
  }
  return {
    appName: app.name,
    routingKeys: [...app.queues],
    resultExpires: app.resultExpires,
    problems,
  };
}
