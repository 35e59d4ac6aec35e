// The comment's Model section as GitHub renders it: the artifact link, the plots, and names from
// the job's archives shown as literal text.
import { describe, expect, it } from '@jest/globals';
import { renderReport } from '../../src/report/comment.js';
import { modelSection } from '../../src/report/model-section.js';
import { toHtml } from './render-html.js';
import { reportData } from './report-data.js';

const FILES = ['best.pt', 'last.pt', 'training_metrics.json'];
const PLOTS = ['BoxPR_curve.png', 'confusion_matrix.png', 'results.png', 'val_batch0_pred.jpg'];
const ARTIFACT_URL = 'https://github.com/acme/floorplans/actions/runs/987654321/artifacts/4242';

describe('modelSection', () => {
  it('links the artifact, names its files and lists the plots', () => {
    const html = toHtml(
      modelSection({
        files: FILES,
        plots: PLOTS,
        artifact: { name: 'yolo-model', url: ARTIFACT_URL },
      }),
    );
    expect(html).toContain(`<a href="${ARTIFACT_URL}">yolo-model</a>`);
    expect(html).toContain('<code>best.pt</code>, <code>last.pt</code>');
    expect(html).toContain('4 plot(s) in <code>plots/</code>');
    expect(html).toContain('<code>actions/download-artifact</code> (name: yolo-model)');
    for (const plot of PLOTS) expect(html).toContain(`<code>${plot}</code>`);
    expect(html).not.toContain('<img');
  });

  it('says why there is no artifact, and shows no link', () => {
    const md = modelSection({
      files: FILES,
      plots: [],
      artifactSkipped: 'not on a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN unset)',
    });
    expect(md).toContain('Downloaded: `best.pt`, `last.pt`, `training_metrics.json`.');
    expect(md).toContain('No workflow artifact: not on a GitHub Actions runner');
    expect(md).not.toContain('Plots:');
    expect(toHtml(md)).not.toContain('<a ');
  });

  it('renders hostile plot and artifact names as literal text', () => {
    const html = toHtml(
      modelSection({
        files: ['best.pt'],
        plots: ['<img src=x onerror=alert(1)>.png', '[x](https://evil.example).png', '@team.png'],
        artifact: { name: '<script>alert(1)</script>', url: 'javascript:alert(1)' },
      }),
    );
    expect(html).not.toMatch(/<img|<script|href="javascript|href="https:\/\/evil/);
    // A code span: GitHub resolves no mention inside one.
    expect(html).toContain('<code>@team.png</code>');
  });

  it('caps the plot list', () => {
    const many = Array.from({ length: 45 }, (_, i) => `val_batch${i}_pred.jpg`);
    const md = modelSection({ files: FILES, plots: many });
    expect(md).toContain('and 15 more');
    expect(md.match(/val_batch\d+_pred\.jpg/g)).toHaveLength(30);
  });

  it('sits in the comment between the results and the job table', () => {
    const md = renderReport(
      reportData({
        model: { files: FILES, plots: PLOTS, artifact: { name: 'yolo-model', url: ARTIFACT_URL } },
      }),
    );
    expect(md).toContain('#### Model');
    expect(md.indexOf('#### Model')).toBeLessThan(md.indexOf('| Job |'));
    expect(renderReport(reportData())).not.toContain('#### Model');
  });
});
