import { createHash } from "node:crypto";

/**
 * The task id of chord header member `index` of group `groupId`, when the member had
 * none of its own: a name-based UUID (version 5 layout over SHA-1), so the worker that
 * dispatches the body can name every member's result without a stored list.
 */
export function chordMemberId(groupId: string, index: number): string {
  const hash = createHash("sha1").update(`celeriac-chord:${groupId}:${index}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The header's member ids in order, when they were all derived with `chordMemberId`. */
export function derivedMemberIds(groupId: string, size: number): string[] {
  return Array.from({ length: size }, (_, i) => chordMemberId(groupId, i));
}
