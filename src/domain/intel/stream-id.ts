/**
 * The public id of a recurring stream: `rec_` + 20 hex digits of
 * SHA-256(user id | stream key). The stream key is merchant entity, direction
 * and currency (and, for a stream found among one-off purchases, its first
 * charge's id), so the id is the same on every read while the stream exists,
 * and another user's id never names one of the caller's streams.
 */
export const STREAM_ID_PATTERN = /^rec_[0-9a-f]{20}$/;

export async function streamIdOf(userId: string, streamKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${userId}|${streamKey}`));
  const hex = Array.from(new Uint8Array(digest).slice(0, 10), (b) => b.toString(16).padStart(2, "0")).join("");
  return `rec_${hex}`;
}
