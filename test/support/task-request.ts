import { randomUUID } from "node:crypto";
import type { TaskRequest } from "../../runtime/message/task-request.js";

/** A task request as a producer would send it: no successors, sent now, with `overrides`. */
export function taskRequest(
  overrides: Partial<TaskRequest> & Pick<TaskRequest, "task">,
): TaskRequest {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    args: [],
    kwargs: {},
    queue: "celery",
    rootId: id,
    parentId: null,
    groupId: null,
    groupIndex: null,
    retries: 0,
    eta: null,
    expires: null,
    ignoreResult: false,
    claim: false,
    callbacks: [],
    errbacks: [],
    chain: [],
    chord: null,
    ...overrides,
  };
}
