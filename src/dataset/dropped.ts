// `max-dropped-images`: how many images ultralytics may ignore before the run fails. A count
// ("20") or a share of all images ("5%"); 0 is strict. Pure.

export type DropLimit = { count: number } | { percent: number };

export const DEFAULT_DROP_LIMIT: DropLimit = { percent: 5 };
export const NO_DROP_LIMIT: DropLimit = { count: Infinity };

/** Parses the input; throws an error naming the input, the value and the rule. */
export function parseDropLimit(value: string, name = 'max-dropped-images'): DropLimit {
  const v = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (percent) {
    const p = Number(percent[1]);
    if (p <= 100) return { percent: p };
  } else if (/^\d+$/.test(v) && Number.isSafeInteger(Number(v))) {
    return { count: Number(v) };
  }
  throw new Error(
    `${name} must be a count of images (e.g. 20, 0 to allow none) or a percentage of all images from 0% to 100% (e.g. 5%), got ${JSON.stringify(value)}`,
  );
}

export function formatDropLimit(limit: DropLimit): string {
  return 'percent' in limit ? `${limit.percent}%` : String(limit.count);
}

/** The most images the limit allows out of `images`. */
export function allowedDrops(limit: DropLimit, images: number): number {
  return 'percent' in limit ? Math.floor((images * limit.percent) / 100) : limit.count;
}

/**
 * The failure message when more images would be dropped than the limit allows, else undefined.
 * `reasons` counts the drop findings per rule (why they are dropped).
 */
export function checkDropLimit(
  counts: { images: number; dropped: number },
  limit: DropLimit,
  reasons: ReadonlyMap<string, number> = new Map(),
): string | undefined {
  const allowed = allowedDrops(limit, counts.images);
  if (counts.dropped <= allowed) return undefined;
  const share = counts.images > 0 ? ((100 * counts.dropped) / counts.images).toFixed(1) : '0';
  const why = [...reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([rule, n]) => `${rule} ×${n}`)
    .join(', ');
  return `ultralytics would drop ${counts.dropped} of ${counts.images} images (${share}%), more than max-dropped-images ${formatDropLimit(limit)} allows (${allowed})${why ? `; reasons: ${why}` : ''}. Fix the files named above (sagemaker-yolo validate --fix repairs label rows) or raise max-dropped-images.`;
}
