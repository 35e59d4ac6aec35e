import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The action's checkout (action.yml, training-container/, .venv/): the bundles in dist/ and the
 * sources in src/ both sit one level below it.
 */
export function actionRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}
