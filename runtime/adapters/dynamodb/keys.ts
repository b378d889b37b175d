/**
 * Partition keys of the results table. One table holds every kind of record; the
 * prefix says which (see ARCHITECTURE.md).
 */
export const keys = {
  /** A task's meta: `task#<id>`. */
  task: (taskId: string): string => `task#${taskId}`,
  /** A task's run claim: `claim#<id>`. */
  claim: (taskId: string): string => `claim#${taskId}`,
  /** A chord's top-level record (full shards, dispatcher): `chord#<gid>`. */
  chord: (groupId: string): string => `chord#${groupId}`,
  /** One counter shard of a chord: `chord#<gid>#<k>`. */
  chordShard: (groupId: string, shard: number): string => `chord#${groupId}#${shard}`,
  /** A saved group's head: `group#<gid>`. */
  group: (groupId: string): string => `group#${groupId}`,
  /** One page of a large saved group: `group#<gid>#<p>`. */
  groupPage: (groupId: string, page: number): string => `group#${groupId}#${page}`,
};
