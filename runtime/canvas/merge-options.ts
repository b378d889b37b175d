import type { SignatureOptions } from "./options.js";
import type { AnySignature } from "./signature-types.js";

/**
 * The signatures to link to one call: copies, so that planning never changes the
 * caller's own (a frozen one's copy keeps its id, as the caller asked).
 */
export function ownCopies(list: readonly AnySignature[]): AnySignature[] {
  return list.map((s) => s.clone());
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

/** Options frozen, their link lists too: a signature's options change only by replacement. */
export function frozenOptions(
  options: SignatureOptions<AnySignature>,
): Readonly<SignatureOptions<AnySignature>> {
  if (options.link) options.link = Object.freeze([...options.link]);
  if (options.linkError) options.linkError = Object.freeze([...options.linkError]);
  return Object.freeze(options);
}
