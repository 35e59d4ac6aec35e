// Reading unknown thrown values: SDK errors, Node system errors, and whatever else was thrown.

/** The SDK error name (`ThrottlingException`) or `Code`, or '' when there is none. */
export function errorName(error: unknown): string {
  if (!error || typeof error !== 'object') return '';
  const e = error as { name?: unknown; Code?: unknown };
  return String(e.name ?? e.Code ?? '');
}

/** An Error's message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
