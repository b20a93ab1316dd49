/**
 * Detection over very long text nodes (a 1 MB <pre>, a log dump) in pieces, so one node never
 * blocks the main thread for longer than a slice. Each piece is read with `overlap` characters
 * of context on both sides, and keeps only the numbers that *start* inside it: a number cut
 * by a window edge starts outside the kept part and is found whole by its neighbour.
 */

export interface Found {
  start: number;
  end: number;
}

export const CHUNK_CHARS = 8192;
export const CHUNK_OVERLAP = 256;

export interface ChunkResult<D extends Found> {
  found: D[];
  /** Where the next piece starts, or -1 when the text is done. */
  next: number;
}

export function detectChunk<D extends Found>(
  text: string,
  from: number,
  detector: (piece: string) => D[],
  chunk = CHUNK_CHARS,
  overlap = CHUNK_OVERLAP,
): ChunkResult<D> {
  if (from === 0 && text.length <= chunk + overlap) return { found: detector(text), next: -1 };
  const windowStart = Math.max(0, from - overlap);
  const keepEnd = Math.min(text.length, from + chunk);
  const windowEnd = Math.min(text.length, keepEnd + overlap);
  const found: D[] = [];
  for (const detection of detector(text.slice(windowStart, windowEnd))) {
    const start = detection.start + windowStart;
    if (start < from || start >= keepEnd) continue;
    found.push({ ...detection, start, end: detection.end + windowStart });
  }
  return { found, next: keepEnd >= text.length ? -1 : keepEnd };
}
