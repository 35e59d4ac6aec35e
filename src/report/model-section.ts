// The comment's Model section: where the trained model and ultralytics' plots went (the workflow
// artifact's page), and which plots it holds. Pure. Names come from the job's archives: escaped.
import { code, escapeInline, link, safeUrl } from './markdown.js';

export interface ModelReport {
  /** Model files (best.pt, last.pt, training_metrics.json), without the plots. */
  files: string[];
  /** Plot file names, in `plots/` of the artifact. */
  plots: string[];
  artifact?: { name: string; url: string };
  /** Why there is no artifact (off a runner, upload failed); absent in the CLI. */
  artifactSkipped?: string;
  /** comment-images: presigned: plots shown inline, and when their links expire. */
  images?: { name: string; url: string }[];
  imagesExpireAt?: Date;
}

/** `2026-12-09 09:55 UTC`. Pure. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Plots listed before "and N more". */
const MAX_PLOTS = 30;

export function modelSection(model: ModelReport): string {
  const lines = ['#### Model', ''];
  const what = model.files.map((f) => code(f, 100)).join(', ') || 'no model files';
  if (model.artifact) {
    const name = escapeInline(model.artifact.name, 100);
    lines.push(
      `Workflow artifact ${link(model.artifact.name, model.artifact.url, 100)}: ${what}` +
        `${model.plots.length > 0 ? ` and ${model.plots.length} plot(s) in \`plots/\`` : ''}.` +
        ` A later job takes it with \`actions/download-artifact\` (name: ${name}).`,
    );
  } else {
    lines.push(`Downloaded: ${what}.`);
    if (model.artifactSkipped) {
      lines.push('', `No workflow artifact: ${escapeInline(model.artifactSkipped, 300)}.`);
    }
  }
  if (model.plots.length > 0) {
    const shown = model.plots.slice(0, MAX_PLOTS).map((p) => code(p, 100));
    const more = model.plots.length - shown.length;
    lines.push('', `Plots: ${shown.join(' · ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  const images = (model.images ?? []).filter((i) => safeUrl(i.url) !== undefined);
  if (images.length > 0) {
    lines.push('');
    for (const image of images) {
      lines.push(`![${escapeInline(image.name, 100)}](<${safeUrl(image.url)}>)`);
    }
    const when = model.imagesExpireAt ? `at ${utcMinute(model.imagesExpireAt)}` : 'soon';
    lines.push(
      '',
      `_The images are S3 presigned links: they expire ${when}; anyone with the link can see the image._`,
    );
  }
  return lines.join('\n');
}
