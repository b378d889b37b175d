import type { SignatureOptions } from "./options.js";
import type { AnySignature } from "./signature-types.js";

/** The signatures to link to one call: copies, except those the caller froze. */
export function ownCopies(list: AnySignature[]): AnySignature[] {
  return list.map((s) => (s.options.taskId ? s : s.clone()));
}

/** Call-time options override; links from both sides are kept. */
export function mergeOptions(
  own: SignatureOptions<AnySignature>,
  call: SignatureOptions<AnySignature>,
): SignatureOptions<AnySignature> {
  const merged: SignatureOptions<AnySignature> = { ...own, ...call };
  if (own.link || call.link)
    merged.link = [...(own.link ?? []), ...(call.link ?? [])] as AnySignature[];
  if (own.linkError || call.linkError) {
    merged.linkError = [...(own.linkError ?? []), ...(call.linkError ?? [])] as AnySignature[];
  }
  return merged;
}
