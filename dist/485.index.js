export const id = 485;
export const ids = [485];
export const modules = {

/***/ 5485:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DescribeTrainingJobCommand: () => (/* reexport */ dist_cjs/* DescribeTrainingJobCommand */.Sjt),
  TrainingLogTailer: () => (/* reexport */ TrainingLogTailer),
  commentMarker: () => (/* reexport */ commentMarker),
  createAwsClients: () => (/* reexport */ createAwsClients),
  createStages: () => (/* reexport */ createStages),
  deliverModel: () => (/* reexport */ deliverModel),
  describeToOutcome: () => (/* reexport */ describeToOutcome),
  evaluateGate: () => (/* reexport */ evaluateGate),
  formatOutcome: () => (/* reexport */ formatOutcome),
  getOctokit: () => (/* reexport */ github/* getOctokit */.Q),
  lineBatch: () => (/* reexport */ untrusted/* lineBatch */.Hp),
  priceListLookup: () => (/* reexport */ priceListLookup),
  readJobMetrics: () => (/* reexport */ readJobMetrics),
  renderPipelineReport: () => (/* reexport */ renderPipelineReport),
  renderTerminalReport: () => (/* reexport */ renderTerminalReport),
  runPipeline: () => (/* reexport */ runPipeline),
  stopTrainingJob: () => (/* reexport */ stopTrainingJob),
  upsertStickyComment: () => (/* reexport */ upsertStickyComment),
  withJobCost: () => (/* reexport */ withJobCost)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sagemaker/dist-cjs/index.js
var dist_cjs = __webpack_require__(4459);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(2684);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var client_ecr_dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-pricing/dist-cjs/index.js
var client_pricing_dist_cjs = __webpack_require__(4453);
// EXTERNAL MODULE: ./src/s3-client.ts
var s3_client = __webpack_require__(3257);
;// CONCATENATED MODULE: ./src/aws.ts
// The one place AWS clients are made; S3 and the settings they share (endpoint overrides,
// credentials, retries) live in s3-client.ts.






function createAwsClients(options) {
    return {
        s3: (0,s3_client/* createS3Client */.qo)(options),
        sagemaker: new dist_cjs/* SageMakerClient */.kHU((0,s3_client/* baseConfig */._T)('SAGEMAKER', options)),
        ecr: new client_ecr_dist_cjs/* ECRClient */.S70((0,s3_client/* baseConfig */._T)('ECR', options)),
        logs: new client_cloudwatch_logs_dist_cjs/* CloudWatchLogsClient */.TFr((0,s3_client/* baseConfig */._T)('CLOUDWATCH_LOGS', options)),
        // The Price List API is served from us-east-1 whatever the job's region; one quick try is
        // enough (the price table answers otherwise).
        pricing: new client_pricing_dist_cjs/* PricingClient */.c4({
            ...(0,s3_client/* baseConfig */._T)('PRICING', { ...options, region: 'us-east-1' }),
            maxAttempts: 2,
        }),
    };
}

// EXTERNAL MODULE: ./src/task.ts
var src_task = __webpack_require__(4150);
;// CONCATENATED MODULE: ./src/metrics/gate.ts
// The quality gate. Pure: every configured threshold is checked (no short-circuit) so the failure
// message shows the whole picture at once. The mAP, precision and recall thresholds apply to the
// task's primary block (masks for segment, boxes otherwise); classify has top-1 accuracy instead.

const METRIC_LABELS = {
    map50: 'mAP@0.5',
    map50_95: 'mAP@0.5:0.95',
    precision: 'Precision',
    recall: 'Recall',
    top1: 'Top-1 accuracy',
};
/** The metric's label with the block it was read from: `mAP@0.5 (masks)`. */
function checkLabel(check) {
    const label = METRIC_LABELS[check.metric];
    return check.kind === 'accuracy' ? label : `${label} (${KIND_LABELS[check.kind]})`;
}
function isReported(value) {
    return typeof value === 'number' && Number.isFinite(value);
}
/**
 * Formats `value` with 4 decimals, or more when 4 would round it onto the wrong side of
 * `threshold` (0.84996 must not print as "0.8500 < 0.85").
 */
function formatValue(value, threshold) {
    for (let digits = 4; digits <= 10; digits++) {
        const text = value.toFixed(digits);
        if (threshold === undefined)
            return text;
        const rounded = Number(text);
        if (value >= threshold === rounded >= threshold)
            return text;
    }
    return String(value);
}
/** A threshold as the user wrote it (0.85, not 0.8500). */
function formatThreshold(min) {
    return String(Number(min.toPrecision(12)));
}
/** What a check read, after its verdict: `on masks (M)`; accuracy needs no note. */
function kindNote(check) {
    return check.kind === 'accuracy'
        ? ''
        : ` on ${src_task/* KIND_LABELS */.bu[check.kind]} ${src_task/* KIND_SUFFIXES */.Z8[check.kind]}`;
}
function checkLine(check) {
    const mark = check.passed ? '✓' : '✗';
    const min = formatThreshold(check.threshold);
    if (check.notApplicable)
        return `${mark} ${check.metric}: ${check.notApplicable} (${check.input})`;
    if (!isReported(check.value)) {
        return `${mark} ${check.metric} not reported, needs >= ${min} (${check.input})${kindNote(check)}`;
    }
    const op = check.passed ? '>=' : '<';
    return `${mark} ${check.metric} ${formatValue(check.value, check.threshold)} ${op} ${min} (${check.input})${kindNote(check)}`;
}
/** The value a threshold is checked against, or why this task has none. */
function gatedValue(metrics, task, metric) {
    if (metric === 'top1') {
        if (task !== 'classify') {
            return {
                kind: 'accuracy',
                notApplicable: `only classify models report it; this ${task} model does not`,
            };
        }
        return { kind: 'accuracy', value: metrics.top1 };
    }
    const kind = (0,src_task/* primaryKind */.jI)(task);
    if (kind === undefined) {
        return {
            kind: 'box',
            notApplicable: 'does not apply to a classify model, which reports top-1/top-5 accuracy: use top1-threshold',
        };
    }
    // the block when metrics.json has one; older files hold only the top-level (primary) numbers
    return { kind, value: metrics.blocks?.[kind]?.[metric] ?? metrics[metric] };
}
/** Rounding noise must not fail `0.88 vs 0.90 − 0.02`. */
const REGRESSION_EPSILON = 1e-9;
/**
 * The primary metric (mAP@0.5, top-1 for classify) and each thresholded metric, compared with the
 * baseline. A metric the baseline lacks is not compared: a delta against nothing would be made up.
 */
function regressionChecks(metrics, task, thresholds, gate) {
    const primary = task === 'classify' ? 'top1' : 'map50';
    const wanted = [primary, ...thresholds.map((t) => t.metric)].filter((m, i, all) => all.indexOf(m) === i);
    const checks = [];
    for (const metric of wanted) {
        const current = gatedValue(metrics, task, metric);
        if (current.notApplicable !== undefined)
            continue;
        const base = gatedValue(gate.baseline, task, metric).value;
        if (!isReported(base))
            continue;
        const floor = base - gate.maxRegression;
        const check = {
            metric,
            kind: current.kind,
            baseline: base,
            maxRegression: gate.maxRegression,
            floor,
            passed: isReported(current.value) &&
                base - current.value <= gate.maxRegression + REGRESSION_EPSILON,
        };
        if (isReported(current.value))
            check.value = current.value;
        checks.push(check);
    }
    return checks;
}
function regressionLine(check) {
    const mark = check.passed ? '✓' : '✗';
    const allowed = `baseline ${formatValue(check.baseline)} − max-regression ${formatThreshold(check.maxRegression)}`;
    if (!isReported(check.value))
        return `${mark} ${check.metric} not reported, needs >= ${allowed}`;
    const delta = check.value - check.baseline;
    const op = check.passed ? '>=' : '<';
    return `${mark} ${check.metric} ${formatValue(check.value)} ${op} ${allowed} (${delta >= 0 ? '+' : ''}${formatValue(delta)})`;
}
function evaluateGate(metrics, thresholds, regression) {
    const task = metrics.task ?? 'detect';
    const checks = thresholds.map((t) => {
        const { kind, value, notApplicable } = gatedValue(metrics, task, t.metric);
        const check = {
            metric: t.metric,
            kind,
            input: t.input,
            threshold: t.min,
            passed: notApplicable === undefined && isReported(value) && value >= t.min,
        };
        if (notApplicable !== undefined)
            check.notApplicable = notApplicable;
        else if (isReported(value))
            check.value = value;
        return check;
    });
    const regressions = regression ? regressionChecks(metrics, task, thresholds, regression) : [];
    const passed = checks.every((c) => c.passed) && regressions.every((c) => c.passed);
    const lines = [...checks.map(checkLine), ...regressions.map(regressionLine)];
    const message = lines.length === 0
        ? `no thresholds configured${task === 'classify' ? ' (classify: set top1-threshold)' : ''}`
        : lines.join('\n');
    return { passed, task, checks, ...(regression ? { regressions } : {}), message };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./node_modules/tar/dist/esm/index.min.js
var index_min = __webpack_require__(8697);
// EXTERNAL MODULE: ./src/s3.ts
var src_s3 = __webpack_require__(2049);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/metrics/results-csv.ts
// Parser for ultralytics results.csv. Pure.
//
// Formats seen across versions (DESIGN.md, "Facts"):
// - before 8.3.9 every header and value is right-aligned with spaces (`%23s,` / `%23.5g,`);
// - from 8.3.9 the file is compact and has a `time` column after `epoch`;
// - task suffixes differ ((B) boxes, (M) masks, (P) pose), so columns are looked up by trimmed name
//   and every column is kept rather than a fixed list.
// A resumed run (spot interruption) appends to the same file and can repeat an epoch that was
// written before the checkpoint was saved; the last row for an epoch wins.

/** Common column names, for callers that want one without spelling the suffix. */
const RESULTS_COLUMNS = {
    precision: 'metrics/precision(B)',
    recall: 'metrics/recall(B)',
    map50: 'metrics/mAP50(B)',
    map50_95: 'metrics/mAP50-95(B)',
};
/** classify's columns. */
const ACCURACY_COLUMNS = {
    top1: 'metrics/accuracy_top1',
    top5: 'metrics/accuracy_top5',
};
/** A block's column: resultsColumn('map50', 'mask') is `metrics/mAP50(M)`. */
function resultsColumn(metric, kind) {
    return RESULTS_COLUMNS[metric].replace('(B)', src_task/* KIND_SUFFIXES */.Z8[kind]);
}
/**
 * The column that shows a task's training progress per epoch: mAP@0.5 of its primary block
 * (masks for segment), top-1 accuracy for classify.
 */
function progressColumn(task) {
    const kind = (0,src_task/* primaryKind */.jI)(task);
    return kind ? resultsColumn('map50', kind) : ACCURACY_COLUMNS.top1;
}
/** `nan`, empty and unparsable cells become NaN; Python's `inf` spellings become ±Infinity. */
function parseCell(raw) {
    const s = raw.trim().toLowerCase();
    if (s === '' || s === 'nan' || s === '-nan')
        return Number.NaN;
    if (s === 'inf' || s === '+inf' || s === 'infinity')
        return Number.POSITIVE_INFINITY;
    if (s === '-inf' || s === '-infinity')
        return Number.NEGATIVE_INFINITY;
    const n = Number(s);
    return Number.isNaN(n) ? Number.NaN : n;
}
function parseResultsCsv(text) {
    const lines = text
        .replace(/^\uFEFF/, '')
        .split(/\r?\n|\r/)
        .filter((line) => line.trim() !== '');
    if (lines.length === 0)
        return [];
    const header = (lines[0] ?? '').split(',').map((h) => h.trim());
    const epochIndex = header.indexOf('epoch');
    if (epochIndex < 0) {
        throw new Error(`results.csv: no "epoch" column in the header (found: ${header.slice(0, 8).join(', ')})`);
    }
    const byEpoch = new Map();
    for (let i = 1; i < lines.length; i++) {
        const cells = (lines[i] ?? '').split(',');
        // A second header appears when a file is concatenated from two runs; skip it.
        if ((cells[epochIndex] ?? '').trim() === 'epoch')
            continue;
        const epoch = parseCell(cells[epochIndex] ?? '');
        // A row cut short by an interrupted write has no usable epoch: drop it rather than fail.
        if (!Number.isFinite(epoch))
            continue;
        const values = {};
        header.forEach((name, col) => {
            if (col === epochIndex || name === '')
                return;
            values[name] = parseCell(cells[col] ?? '');
        });
        byEpoch.set(Math.round(epoch), { epoch: Math.round(epoch), values });
    }
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

;// CONCATENATED MODULE: ./src/metrics/read.ts
// Reads a finished job's metrics: metrics.json + results.csv from output.tar.gz (the container
// contract in DESIGN.md), falling back to the FinalMetricDataList SageMaker scraped from the log
// when the archive or its metrics.json is missing. Parsing is pure; readJobMetrics is the adapter.






const METRICS_SCHEMA = 1;
const WANTED = new Set(['metrics.json', 'results.csv']);
/** Far above any real metrics.json/results.csv; stops a corrupt archive from eating memory. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Entries sit at the archive root, written as `metrics.json` or `./metrics.json`. */
function rootName(path) {
    return path.replace(/^(\.\/)+/, '');
}
/** Reads metrics.json and results.csv from a (gzipped) tar held in memory. */
async function extractOutputArchive(buf) {
    const files = new Map();
    await new Promise((resolve, reject) => {
        let failed = false;
        const fail = (error) => {
            if (failed)
                return;
            failed = true;
            reject(error);
        };
        const parser = new index_min/* Parser */.iX({
            // Strict: an archive that is not a tar (or is truncated) is an error, not a warning.
            strict: true,
            onReadEntry: (entry) => {
                const name = rootName(entry.path);
                if (entry.type !== 'File' || !WANTED.has(name)) {
                    entry.resume();
                    return;
                }
                const chunks = [];
                let size = 0;
                entry.on('data', (chunk) => {
                    size += chunk.length;
                    if (size > MAX_ENTRY_BYTES) {
                        fail(new Error(`output archive: ${name} is larger than ${MAX_ENTRY_BYTES} bytes`));
                        return;
                    }
                    chunks.push(chunk);
                });
                entry.on('end', () => files.set(name, Buffer.concat(chunks)));
            },
        });
        parser.on('error', (error) => fail(new Error(`output archive: ${error.message}`)));
        parser.on('close', () => {
            if (!failed)
                resolve();
        });
        parser.end(Buffer.from(buf));
    });
    const out = {};
    const metrics = files.get('metrics.json');
    if (metrics) {
        try {
            out.metricsJson = parseJsonLenient(metrics.toString('utf8'));
        }
        catch (error) {
            throw new Error(`output archive: metrics.json is not valid JSON (${error.message})`);
        }
    }
    const csv = files.get('results.csv');
    if (csv)
        out.resultsCsv = csv.toString('utf8');
    return out;
}
/**
 * JSON.parse that also accepts the bare NaN / Infinity / -Infinity tokens Python's json.dump
 * writes by default (turned into null), so a container that forgot allow_nan=False still reads.
 */
function parseJsonLenient(text) {
    try {
        return JSON.parse(text);
    }
    catch (strictError) {
        let out = '';
        let inString = false;
        for (let i = 0; i < text.length; i++) {
            const ch = text[i];
            if (inString) {
                out += ch;
                if (ch === '\\')
                    out += text[++i] ?? '';
                else if (ch === '"')
                    inString = false;
                continue;
            }
            if (ch === '"') {
                inString = true;
                out += ch;
                continue;
            }
            const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9));
            if (token) {
                out += 'null';
                i += token[0].length - 1;
                continue;
            }
            out += ch;
        }
        if (out === text)
            throw strictError;
        return JSON.parse(out);
    }
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** A metric in [0, 1]; null (NaN written by Python) and absence both mean "not reported". */
function optionalRatio(obj, key, where) {
    const v = obj[key];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
        throw new Error(`metrics.json: ${where}${key} must be a number in [0, 1] or null, got ${show(v)}`);
    }
    return v;
}
function optionalInteger(obj, key, where) {
    const v = obj[key];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new Error(`metrics.json: ${where}${key} must be a non-negative integer, got ${show(v)}`);
    }
    return v;
}
function optionalString(obj, key) {
    const v = obj[key];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string')
        throw new Error(`metrics.json: ${key} must be a string, got ${show(v)}`);
    return v;
}
function show(v) {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
const SET_KEYS = ['map50', 'map50_95', 'precision', 'recall'];
function metricSet(obj, where) {
    const set = {};
    for (const key of SET_KEYS) {
        const v = optionalRatio(obj, key, where);
        if (v !== undefined)
            set[key] = v;
    }
    return set;
}
/**
 * Validates metrics.json against the DESIGN.md contract (schema 1). Pure. Files written before
 * the container knew tasks have no `task` and no blocks: they are detect, their top-level numbers
 * boxes. Since then `task` says which blocks follow (`box`, `mask`, `pose`; `top1`/`top5` for
 * classify) and the top-level numbers are the task's primary block.
 */
function parseMetricsJson(json) {
    if (!isObject(json))
        throw new Error(`metrics.json: expected an object, got ${show(json)}`);
    if (json.schema !== METRICS_SCHEMA) {
        throw new Error(`metrics.json has schema ${show(json.schema)}; this action reads schema ${METRICS_SCHEMA}. ` +
            'Use a training image and action version that agree on the metrics.json contract.');
    }
    const perClassRaw = json.per_class ?? [];
    if (!Array.isArray(perClassRaw)) {
        throw new Error(`metrics.json: per_class must be an array, got ${show(perClassRaw)}`);
    }
    const perClass = perClassRaw.map((row, i) => {
        const where = `per_class[${i}].`;
        if (!isObject(row))
            throw new Error(`metrics.json: ${where.slice(0, -1)} must be an object`);
        if (typeof row.name !== 'string') {
            throw new Error(`metrics.json: ${where}name must be a string, got ${show(row.name)}`);
        }
        const ratio = (key) => optionalRatio(row, key, where) ?? Number.NaN;
        return {
            name: row.name,
            instances: optionalInteger(row, 'instances', where) ?? 0,
            ap50: ratio('ap50'),
            ap50_95: ratio('ap50_95'),
            precision: ratio('precision'),
            recall: ratio('recall'),
        };
    });
    const split = json.split;
    if (split !== undefined && split !== null && split !== 'val' && split !== 'test') {
        throw new Error(`metrics.json: split must be "val" or "test", got ${show(split)}`);
    }
    const task = json.task ?? undefined;
    if (task !== undefined && (typeof task !== 'string' || !(0,src_task/* isYoloTask */.jf)(task))) {
        throw new Error(`metrics.json: task must be detect, segment, obb, pose or classify, got ${show(task)}`);
    }
    const metrics = { perClass, source: 'metrics.json', epochs: [] };
    if (task !== undefined) {
        metrics.task = task;
        const blocks = {};
        for (const kind of src_task/* METRIC_KINDS */.Rc[task]) {
            const raw = json[kind];
            if (raw === undefined || raw === null)
                continue;
            if (!isObject(raw))
                throw new Error(`metrics.json: ${kind} must be an object, got ${show(raw)}`);
            blocks[kind] = metricSet(raw, `${kind}.`);
        }
        if (Object.keys(blocks).length > 0)
            metrics.blocks = blocks;
    }
    const assign = (key, value) => {
        if (value !== undefined)
            metrics[key] = value;
    };
    assign('map50', optionalRatio(json, 'map50', ''));
    assign('map50_95', optionalRatio(json, 'map50_95', ''));
    assign('precision', optionalRatio(json, 'precision', ''));
    assign('recall', optionalRatio(json, 'recall', ''));
    assign('top1', optionalRatio(json, 'top1', ''));
    assign('top5', optionalRatio(json, 'top5', ''));
    assign('epochsCompleted', optionalInteger(json, 'epochs_completed', ''));
    assign('bestEpoch', optionalInteger(json, 'best_epoch', ''));
    assign('split', (split ?? undefined));
    assign('ultralyticsVersion', optionalString(json, 'ultralytics_version'));
    assign('imgsz', optionalInteger(json, 'imgsz', ''));
    assign('model', optionalString(json, 'model'));
    return metrics;
}
// ---- FinalMetricDataList fallback --------------------------------------------------------------
/**
 * MetricDefinitions names (training-container/metric-definitions.json) for the gated metrics.
 * A test checks these against the JSON file so the two cannot drift.
 */
const FINAL_METRIC_NAMES = {
    map50: 'map50',
    map50_95: 'map50_95',
    precision: 'precision',
    recall: 'recall',
};
/** The MetricDefinitions name of a block's metric: `map50` for boxes, `mask:map50` for masks. */
function finalMetricName(kind, metric) {
    return kind === 'box' ? FINAL_METRIC_NAMES[metric] : `${kind}:${FINAL_METRIC_NAMES[metric]}`;
}
/** classify's MetricDefinitions names. */
const FINAL_ACCURACY_NAMES = { top1: 'top1', top5: 'top5' };
/**
 * Metrics from the last values SageMaker scraped from the log, for the task the job trained
 * (the log lines carry every block; the task says which is primary). Pure.
 */
function metricsFromFinalMetricData(finalMetrics, task = 'detect') {
    const metrics = { task, perClass: [], source: 'final-metric-data', epochs: [] };
    const read = (name) => {
        const v = finalMetrics[name];
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    };
    const blocks = {};
    for (const kind of src_task/* METRIC_KINDS */.Rc[task]) {
        const set = {};
        for (const key of SET_KEYS) {
            const v = read(finalMetricName(kind, key));
            if (v !== undefined)
                set[key] = v;
        }
        if (Object.keys(set).length > 0)
            blocks[kind] = set;
    }
    const primary = (0,src_task/* primaryKind */.jI)(task);
    if (primary)
        Object.assign(metrics, blocks[primary]);
    // a one-block task's block is the top level already
    if (src_task/* METRIC_KINDS */.Rc[task].length > 1 && Object.keys(blocks).length > 0)
        metrics.blocks = blocks;
    if (task === 'classify') {
        for (const key of ['top1', 'top5']) {
            const v = read(FINAL_ACCURACY_NAMES[key]);
            if (v !== undefined)
                metrics[key] = v;
        }
    }
    const reported = [...SET_KEYS, 'top1', 'top5'].some((k) => k in metrics);
    if (!reported)
        metrics.source = 'none';
    return metrics;
}
// ---- S3 adapter --------------------------------------------------------------------------------
/** results.csv only draws the epoch line: a damaged one is logged, never fatal. */
function epochsFrom(text, log) {
    if (text === undefined)
        return [];
    try {
        return parseResultsCsv(text);
    }
    catch (error) {
        log(`results.csv could not be read (${(0,errors/* errorMessage */.g)(error)}); the report has no epoch line`);
        return [];
    }
}
/**
 * metrics.json first (with results.csv for the epoch table); FinalMetricDataList when the archive
 * is missing or holds no metrics.json. An archive with an invalid metrics.json is an error: the
 * image and the action disagree on the contract, and silently using other numbers would hide it.
 */
async function readJobMetrics(s3, outcome, options = {}) {
    const log = options.log ?? (() => undefined);
    let archive = {};
    let archiveFound = false;
    if (!outcome.outputDataUri) {
        log(`${outcome.jobName}: no output data URI; using FinalMetricDataList`);
    }
    else {
        const { bucket, key } = (0,src_s3/* parseS3Uri */.yc)(outcome.outputDataUri);
        try {
            const res = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key }));
            if (!res.Body)
                throw new Error(`empty body for ${outcome.outputDataUri}`);
            archive = await extractOutputArchive(Buffer.from(await res.Body.transformToByteArray()));
            archiveFound = true;
        }
        catch (error) {
            if (!(0,src_s3/* isS3NotFound */.wl)(error))
                throw error;
            log(`${outcome.outputDataUri} not found; using FinalMetricDataList`);
        }
    }
    const epochs = epochsFrom(archive.resultsCsv, log);
    if (archive.metricsJson !== undefined) {
        return { ...parseMetricsJson(archive.metricsJson), epochs };
    }
    if (archiveFound) {
        log(`${outcome.outputDataUri} has no metrics.json; using FinalMetricDataList`);
    }
    return { ...metricsFromFinalMetricData(outcome.finalMetrics, options.task), epochs };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/model/unpack.ts
// Unpacks a SageMaker archive (model.tar.gz, output.tar.gz) into a directory without trusting it:
// only regular files and directories, no absolute paths or `..`, no links of any kind, and caps on
// the number of files and their sizes. Files land in a private staging directory first and are
// moved into place only when the whole archive read cleanly, so a failed download never leaves a
// truncated best.pt behind.






/** Far above a YOLO model archive (yolov8x: two ~130 MB checkpoints) and far below a full disk. */
const DEFAULT_UNPACK_LIMITS = {
    maxFiles: 1000,
    maxFileBytes: 4 * 1024 ** 3,
    maxTotalBytes: 8 * 1024 ** 3,
};
class UnsafeArchiveError extends Error {
    name = 'UnsafeArchiveError';
}
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/**
 * The archive path as a safe relative POSIX path (`./best.pt` -> `best.pt`), or an error naming
 * the rule it breaks. Pure.
 */
function safeEntryPath(raw) {
    const normalized = raw.replace(/\\/g, '/');
    if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
        throw new UnsafeArchiveError(`"${raw}" is an absolute path`);
    }
    const parts = normalized.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..'))
        throw new UnsafeArchiveError(`"${raw}" climbs out with ".."`);
    if (parts.some((p) => p.includes('\0')))
        throw new UnsafeArchiveError(`"${raw}" holds a NUL`);
    return parts.join('/');
}
/**
 * Unpacks a (gzipped) tar from `source` into `dest` (created when missing); returns the
 * destination-relative paths of the files written, sorted.
 */
async function unpackArchive(source, dest, options) {
    const limits = { ...DEFAULT_UNPACK_LIMITS, ...options.limits };
    const select = options.select ?? ((p) => p);
    await (0,promises_.mkdir)(dest, { recursive: true });
    const staging = await (0,promises_.mkdtemp)(external_node_path_default().join(dest, '.unpack-'));
    const written = new Map(); // destination-relative -> staged absolute path
    let total = 0;
    let files = 0;
    try {
        const parser = new index_min/* Parser */.iX({ strict: true });
        let failure;
        const fail = (error) => {
            failure ??= error;
            parser.abort(error);
        };
        const pending = [];
        const outputs = [];
        parser.on('entry', (entry) => {
            try {
                if (failure)
                    return void entry.resume();
                const relative = safeEntryPath(entry.path);
                if (entry.type === 'Directory')
                    return void entry.resume();
                if (!FILE_TYPES.has(entry.type)) {
                    throw new UnsafeArchiveError(`"${entry.path}" is a ${entry.type}, not a regular file`);
                }
                const target = relative === '' ? undefined : select(relative);
                if (target === undefined)
                    return void entry.resume();
                const destRelative = safeEntryPath(target);
                if ((entry.size ?? 0) > limits.maxFileBytes) {
                    throw new UnsafeArchiveError(`"${entry.path}" is ${entry.size} bytes, over the ${limits.maxFileBytes}-byte limit per file`);
                }
                if (++files > limits.maxFiles) {
                    throw new UnsafeArchiveError(`more than ${limits.maxFiles} files`);
                }
                const staged = external_node_path_default().join(staging, `${files}`);
                let size = 0;
                // One consumer counts and writes. A 'data' listener beside the pipe once unpacked an empty
                // training_metrics.json from a real model.tar.gz read from S3.
                const counter = new external_node_stream_.Transform({
                    transform(chunk, _encoding, done) {
                        size += chunk.length;
                        total += chunk.length;
                        if (size > limits.maxFileBytes) {
                            const error = new UnsafeArchiveError(`"${entry.path}" is over ${limits.maxFileBytes} bytes`);
                            fail(error);
                            return done(error);
                        }
                        if (total > limits.maxTotalBytes) {
                            const error = new UnsafeArchiveError(`more than ${limits.maxTotalBytes} bytes in all`);
                            fail(error);
                            return done(error);
                        }
                        done(null, chunk);
                    },
                });
                // 'wx': never write through something already at that name
                const out = (0,external_node_fs_.createWriteStream)(staged, { flags: 'wx', mode: 0o644 });
                written.set(destRelative, staged);
                outputs.push(out);
                pending.push((0,external_node_stream_promises_.pipeline)(entry, counter, out).catch((error) => fail(error)));
            }
            catch (error) {
                entry.resume();
                fail(error);
            }
        });
        const parsed = new Promise((resolve, reject) => {
            parser.on('error', (error) => reject((failure ??= error)));
            parser.on('abort', (error) => reject((failure ??= error)));
            parser.on('close', () => (failure ? reject(failure) : resolve()));
        });
        if (Buffer.isBuffer(source))
            parser.end(source);
        else {
            source.on('error', (error) => fail(error));
            source.pipe(parser);
        }
        try {
            await parsed;
        }
        finally {
            // A failed or truncated archive may leave an entry that never ends: close its file.
            if (failure)
                for (const out of outputs)
                    out.destroy();
            await Promise.all(pending);
        }
        if (failure)
            throw failure;
        for (const [relative, staged] of written) {
            const target = external_node_path_default().join(dest, relative); // safeEntryPath: relative, no '..'
            await (0,promises_.mkdir)(external_node_path_default().dirname(target), { recursive: true });
            await (0,promises_.rename)(staged, target);
        }
        return [...written.keys()].sort();
    }
    catch (error) {
        throw new Error(`${options.label}: ${error.message}`, { cause: error });
    }
    finally {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/model/download.ts
// Brings a finished job's model home, as the old launcher did: model.tar.gz (best.pt, last.pt,
// training_metrics.json: training-container/yolojob/outputs.py) unpacked into the model directory,
// and ultralytics' plots from output.tar.gz (`plots/` there) into `<dir>/plots/`.




/** The plot images ultralytics writes into its run directory, as the container packs them. */
const PLOT = /^plots\/([^/]+\.(?:png|jpe?g))$/i;
function selectPlot(entryPath) {
    const m = PLOT.exec(entryPath);
    return m ? `plots/${m[1]}` : undefined;
}
async function objectStream(s3, uri) {
    const { bucket, key } = (0,src_s3/* parseS3Uri */.yc)(uri);
    const res = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!res.Body)
        throw new Error(`${uri}: empty body`);
    return res.Body;
}
async function downloadModel(s3, outcome, dir, log) {
    const absolute = external_node_path_default().resolve(dir);
    if (!outcome.modelArtifactsUri) {
        throw new Error(`job ${outcome.jobName} has no model artifacts (ModelArtifacts is empty)`);
    }
    const modelStream = await objectStream(s3, outcome.modelArtifactsUri).catch((error) => {
        if (!(0,src_s3/* isS3NotFound */.wl)(error))
            throw error;
        throw new Error(`${outcome.modelArtifactsUri} does not exist: nothing to download (download-model: false, or --no-download, skips the download)`);
    });
    const modelFiles = await unpackArchive(modelStream, absolute, {
        label: outcome.modelArtifactsUri,
    });
    let plots = [];
    if (outcome.outputDataUri) {
        try {
            plots = await unpackArchive(await objectStream(s3, outcome.outputDataUri), absolute, {
                label: outcome.outputDataUri,
                select: selectPlot,
                limits: { maxFiles: 200, maxFileBytes: 50 * 1024 ** 2, maxTotalBytes: 500 * 1024 ** 2 },
            });
        }
        catch (error) {
            if (!(0,src_s3/* isS3NotFound */.wl)(error))
                throw error;
            log(`${outcome.outputDataUri} not found: no plots`);
        }
    }
    const files = [...modelFiles, ...plots];
    log(`Downloaded ${outcome.modelArtifactsUri} to ${absolute}: ${files.join(', ')}`);
    return {
        dir: absolute,
        files,
        ...(modelFiles.includes('best.pt') ? { bestPt: external_node_path_default().join(absolute, 'best.pt') } : {}),
        plots: plots.map((p) => p.slice('plots/'.length)),
    };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js
var s3_request_presigner_dist_cjs = __webpack_require__(8505);
;// CONCATENATED MODULE: ./src/model/plot-images.ts
// comment-images: presigned. The plots go to S3 beside the job's output (`output/<job>/plots/`)
// and the comment shows a few of them through presigned GetObject URLs. A presigned URL is a
// bearer credential: it works for anyone until it expires, and it expires at the latest when the
// credentials that signed it do (7 days at most for SigV4), so the comment states the moment.





/** SigV4's longest presigned URL lifetime. */
const PRESIGN_MAX_SECONDS = 7 * 24 * 3600;
/** Shorter than this left on the credentials: no point in a link. */
const PRESIGN_MIN_SECONDS = 60;
/** Which plots the comment shows inline: training curves, confusion, PR curve, predictions. Pure. */
function inlinePlots(plots) {
    const sorted = [...plots].sort();
    const first = (test) => sorted.find(test);
    return [
        first((p) => p === 'results.png'),
        first((p) => p === 'confusion_matrix_normalized.png') ??
            first((p) => p === 'confusion_matrix.png'),
        first((p) => /PR_curve\.png$/.test(p)),
        first((p) => p === 'val_batch0_pred.jpg') ?? first((p) => /^val_batch\d+_pred\.jpg$/.test(p)),
    ].filter((p) => p !== undefined);
}
/** `s3://b/p/output/<job>/output/output.tar.gz` -> bucket and `p/output/<job>/plots/`. Pure. */
function plotsLocation(outputDataUri) {
    const { bucket, key } = (0,src_s3/* parseS3Uri */.yc)(outputDataUri);
    const m = /^(.*\/)output\/[^/]+$/.exec(key);
    return { bucket, prefix: `${m ? m[1] : `${external_node_path_default().posix.dirname(key)}/`}plots/` };
}
/** Seconds a link may live: 7 days, or until the signing credentials expire. Pure. */
function presignSeconds(now, credentialsExpire) {
    if (!credentialsExpire)
        return PRESIGN_MAX_SECONDS;
    const left = Math.floor((credentialsExpire.getTime() - now.getTime()) / 1000);
    return Math.max(0, Math.min(PRESIGN_MAX_SECONDS, left));
}
const CONTENT_TYPES = {
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
};
async function publishPlotImages(s3, options) {
    const shown = inlinePlots(options.plots);
    if (shown.length === 0)
        return undefined;
    const now = options.now ?? new Date();
    const credentials = await s3.config.credentials();
    const seconds = presignSeconds(now, credentials.expiration);
    if (seconds < PRESIGN_MIN_SECONDS) {
        throw new Error(`the AWS credentials expire in ${seconds} s: too soon for presigned image links`);
    }
    const { bucket, prefix } = plotsLocation(options.outputDataUri);
    const images = [];
    for (const name of shown) {
        const key = `${prefix}${name}`;
        await s3.send(new client_s3_dist_cjs.PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: await (0,promises_.readFile)(external_node_path_default().join(options.dir, 'plots', name)),
            ContentType: CONTENT_TYPES[external_node_path_default().extname(name).toLowerCase()] ?? 'application/octet-stream',
        }));
        const url = await (0,s3_request_presigner_dist_cjs/* getSignedUrl */.A)(s3, new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key }), {
            expiresIn: seconds,
            signingDate: now,
        });
        images.push({ name, url });
    }
    return {
        images,
        expiresAt: new Date(now.getTime() + seconds * 1000),
        uri: `s3://${bucket}/${prefix}`,
    };
}

;// CONCATENATED MODULE: ./src/model/delivery.ts


async function deliverModel(deps, config, outcome) {
    const downloaded = await downloadModel(deps.s3, outcome, config.modelDelivery.dir, (message) => deps.log.info(message));
    const delivery = { ...downloaded };
    if (config.modelDelivery.commentImages === 'presigned' && outcome.outputDataUri) {
        try {
            const images = await publishPlotImages(deps.s3, {
                outputDataUri: outcome.outputDataUri,
                dir: downloaded.dir,
                plots: downloaded.plots,
            });
            if (images) {
                delivery.images = images;
                deps.log.info(`Uploaded ${images.images.length} plot(s) to ${images.uri} for the comment; their links expire at ${images.expiresAt.toISOString()}`);
            }
        }
        catch (error) {
            // Pictures are a convenience: the comment still lists the plots and links the artifact.
            deps.log.warning(`No inline plots in the comment: ${error.message}`);
        }
    }
    if (!deps.publish)
        return delivery;
    const { artifactName, artifactRetentionDays } = config.modelDelivery;
    try {
        const result = await deps.publish({
            name: artifactName,
            dir: downloaded.dir,
            files: downloaded.files,
            ...(artifactRetentionDays !== undefined ? { retentionDays: artifactRetentionDays } : {}),
        });
        if ('uploaded' in result) {
            delivery.artifact = result.uploaded;
            deps.log.info(`Uploaded workflow artifact ${artifactName}: ${result.uploaded.url}`);
        }
        else {
            delivery.artifactSkipped = result.skipped;
            deps.log.info(`Workflow artifact ${artifactName} skipped: ${result.skipped}`);
        }
    }
    catch (error) {
        // The model is downloaded and gated; a failed upload must not turn a good model red.
        delivery.artifactSkipped = `upload failed: ${error.message}`;
        deps.log.warning(`Workflow artifact ${artifactName} was not uploaded: ${error.message}`);
    }
    return delivery;
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var lib_core = __webpack_require__(1070);
;// CONCATENATED MODULE: ./src/report/summary.ts
// Job summary and step outputs. writeJobSummary is the thin I/O part; metricsOutputs is pure so the
// lead's boundary can feed it to core.setOutput and tests can check every value.


/** Appends the report to $GITHUB_STEP_SUMMARY (every event, forks included). */
async function writeJobSummary(markdown) {
    await core.summary.addRaw(markdown, true).write();
}
function metricOutput(value) {
    // Empty, not "NaN": `if: steps.x.outputs.map50 != ''` is how workflows test for a value.
    return isReported(value) ? String(value) : '';
}
function metricsOutputs(metrics, gate, outcome) {
    return {
        map50: metricOutput(metrics.map50),
        'map50-95': metricOutput(metrics.map50_95),
        precision: metricOutput(metrics.precision),
        recall: metricOutput(metrics.recall),
        passed: String(gate.passed && outcome.status === 'Completed' && !outcome.timedOut),
        'job-status': outcome.status,
        'job-name': outcome.jobName,
        'model-uri': outcome.status === 'Completed' ? (outcome.modelArtifactsUri ?? '') : '',
        'billable-seconds': outcome.billableSeconds !== undefined && Number.isFinite(outcome.billableSeconds)
            ? String(Math.round(outcome.billableSeconds))
            : '',
        // Cents are what a bill shows; four decimals keep short jobs from reading 0.
        'cost-usd': outcome.cost?.known ? outcome.cost.cost.usd.toFixed(4) : '',
    };
}

// EXTERNAL MODULE: ./src/model/champion.ts
var model_champion = __webpack_require__(1198);
// EXTERNAL MODULE: ./src/dataset/snapshot.ts + 1 modules
var dataset_snapshot = __webpack_require__(2533);
// EXTERNAL MODULE: ./src/hash.ts
var hash = __webpack_require__(6495);
// EXTERNAL MODULE: ./src/hyperparameters.ts + 1 modules
var src_hyperparameters = __webpack_require__(5688);
;// CONCATENATED MODULE: ./src/model/run-key.ts
// "Never train twice on identical inputs": the inputs that decide what a job learns hash to a run
// key; a completed, gated job is recorded under runs/<key>.json and a later run with the same key
// reuses it. Pure: the key and the record's shape; store.ts reads and writes them.



/** Version of the key's recipe: bump it when the inputs change so old records stop matching. */
const RECIPE = 1;
/** The content-hash tag the action gives the images it builds (image/context-hash.ts). */
const CONTENT_TAG = /^src-[0-9a-f]{12}$/;
/**
 * The image part of the key: its digest pins the bytes; else a content-hash tag names them.
 * Undefined for any other tag (`latest`, `v2`): it may point at new bytes tomorrow, so a job on it
 * is never reused.
 */
function imageIdentity(image) {
    if (image.imageDigest)
        return image.imageDigest;
    return image.imageUri && CONTENT_TAG.test(image.tag) ? image.imageUri : undefined;
}
/**
 * sha256 of the canonical JSON of the inputs. Hyperparameters are hashed as the strings the job
 * receives, so `epochs: 5` and `epochs: "5"` (same job) give the same key.
 */
function runKey(inputs) {
    if (!/^[0-9a-f]{64}$/.test(inputs.snapshot)) {
        throw new Error(`snapshot '${inputs.snapshot}' is not a fingerprint (64 lowercase hex)`);
    }
    return (0,hash/* sha256Hex */.fg)((0,dataset_snapshot/* canonicalJson */.dj)({
        recipe: RECIPE,
        snapshot: inputs.snapshot,
        image: inputs.image,
        hyperparameters: (0,src_hyperparameters/* hyperparametersToStrings */.W1)(inputs.hyperparameters),
        instanceType: inputs.instanceType,
        instanceCount: inputs.instanceCount,
        task: inputs.task,
    }));
}
/** A stored record, or an error naming the object when it is not one. */
function parseRunRecord(text, source) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`${source} is not JSON`);
    }
    const r = parsed;
    if (!r ||
        r.version !== 1 ||
        typeof r.key !== 'string' ||
        typeof r.jobName !== 'string' ||
        !/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(r.jobName) ||
        typeof r.consoleUrl !== 'string') {
        throw new Error(`${source} is not a run record (version 1 with key, jobName, consoleUrl)`);
    }
    return r;
}

;// CONCATENATED MODULE: ./src/model/lifecycle.ts



/** A job that is reused: nothing ran for this run, so it spent nothing. */
function reusedOutcome(outcome) {
    const reused = { ...outcome, trainingSeconds: 0, billableSeconds: 0 };
    delete reused.cost;
    delete reused.warmPoolRetainedSeconds;
    delete reused.spotInterruptions;
    delete reused.spotRestarts;
    return reused;
}
/** The run key of a snapshot run, and the recorded completed job to reuse, unless force-retrain. */
async function findReusableJob(config, stages, io, dataset, image) {
    const model = stages.model;
    const snapshot = dataset.ref.snapshot;
    // A dataset in the user's own S3 prefix has no fingerprint: its content may change unseen.
    if (!model || !snapshot)
        return {};
    const imageId = imageIdentity(image);
    if (!imageId) {
        io.info(`Run-key reuse is off: image ${image.imageUri || '(none)'} has neither a digest nor a content-hash tag, so identical inputs cannot be proven.`);
        return {};
    }
    const key = runKey({
        snapshot,
        image: imageId,
        hyperparameters: config.hyperparameters,
        instanceType: config.instanceType,
        instanceCount: config.instanceCount,
        task: config.task,
    });
    io.setOutput('run-key', key);
    if (config.model.forceRetrain) {
        io.info(`force-retrain: training even if run ${key.slice(0, 12)} was recorded`);
        return { key };
    }
    let record;
    try {
        record = await model.findRun(key);
    }
    catch (error) {
        io.info(`Could not read the record of run ${key.slice(0, 12)}: ${(0,errors/* errorMessage */.g)(error)}; training.`);
        return { key };
    }
    if (!record)
        return { key };
    const described = await stages.training.describe(record.jobName).catch((error) => {
        io.info(`Recorded job ${record.jobName} cannot be described (${(0,errors/* errorMessage */.g)(error)}); training.`);
        return undefined;
    });
    if (!described || described.status !== 'Completed') {
        if (described)
            io.info(`Recorded job ${record.jobName} is ${described.status}; training.`);
        return { key };
    }
    io.notice(`Reused ${record.jobName} (identical inputs: run key ${key.slice(0, 12)}); nothing was trained. Set force-retrain: true to train anyway.`);
    return { key, record, outcome: reusedOutcome(described) };
}
/** The regression gate's input, when max-regression is set and a champion exists. */
function regressionGateFor(config, baseline) {
    const champion = baseline?.champion;
    if (config.model.maxRegression === undefined || !champion)
        return undefined;
    return { baseline: champion.metrics, maxRegression: config.model.maxRegression };
}
async function loadBaseline(config, stages, io, dataset) {
    if (!stages.model)
        return undefined;
    try {
        return await stages.model.baseline(config, dataset);
    }
    catch (error) {
        // Without a readable champion there is nothing to compare: say so, never guess a delta.
        io.info(`No baseline: ${(0,errors/* errorMessage */.g)(error)}`);
        return undefined;
    }
}
/**
 * After the gate: outputs of the comparison, the run record, the registry entry and the promotion.
 * Returns what the report shows, and a failure when registration was asked for and failed.
 */
async function finishModelLifecycle(input) {
    const { config, stages, io, outcome, metrics, gate, image, dataset, reuse, baseline } = input;
    const report = {};
    if (baseline)
        report.baseline = baseline;
    if (reuse.record) {
        report.reused = { jobName: reuse.record.jobName, consoleUrl: outcome.consoleUrl };
    }
    io.setOutput('reused', String(reuse.record !== undefined));
    const base = baseline?.champion?.metrics.map50;
    if (base !== undefined && Number.isFinite(base)) {
        io.setOutput('baseline-map50', String(base));
        if (metrics.map50 !== undefined && Number.isFinite(metrics.map50)) {
            io.setOutput('map50-delta', String(Number((metrics.map50 - base).toFixed(10))));
        }
    }
    const model = stages.model;
    if (!model)
        return { report };
    const modelUri = outcome.modelArtifactsUri ?? '';
    const now = (input.now ?? (() => new Date()))();
    let failure;
    const registeredBefore = reuse.record?.modelPackageArn;
    let modelPackageArn;
    if (registeredBefore) {
        // The reused job was registered when it was recorded: one registry entry per model.
        report.registration = { modelPackageArn: registeredBefore };
        io.setOutput('model-package-arn', registeredBefore);
    }
    else if (gate.passed && config.model.modelPackageGroup && modelUri) {
        try {
            ({ modelPackageArn } = await io.group('Model Registry', () => model.register({ jobName: outcome.jobName, image: image.imageUri, modelUri, metrics })));
            report.registration = { modelPackageArn };
            io.setOutput('model-package-arn', modelPackageArn);
            io.info(`Registered ${outcome.jobName} as ${modelPackageArn}`);
        }
        catch (error) {
            failure = `Could not register the model in model package group ${config.model.modelPackageGroup}: ${(0,errors/* errorMessage */.g)(error)}`;
        }
    }
    if (reuse.key && !reuse.record) {
        try {
            const uri = await model.recordRun({
                version: 1,
                key: reuse.key,
                jobName: outcome.jobName,
                consoleUrl: outcome.consoleUrl,
                ...(modelUri ? { modelUri } : {}),
                passed: gate.passed,
                ...(modelPackageArn ? { modelPackageArn } : {}),
                recordedAt: now.toISOString(),
                ...(config.context.sha ? { commit: config.context.sha } : {}),
            });
            io.info(`Recorded run ${reuse.key.slice(0, 12)} at ${uri}: identical inputs will reuse ${outcome.jobName}`);
        }
        catch (error) {
            io.info(`Could not record run ${reuse.key.slice(0, 12)}: ${(0,errors/* errorMessage */.g)(error)}`);
        }
    }
    const decision = (0,model_champion/* decidePromotion */.g_)({
        mode: config.model.promote,
        context: config.context,
        gatePassed: gate.passed && modelUri !== '',
    });
    report.promotion = decision;
    let promoted = false;
    if (decision.promote && decision.branch) {
        const previous = baseline?.branch === decision.branch ? baseline : undefined;
        if (previous?.champion?.jobName === outcome.jobName) {
            report.promotion = {
                ...decision,
                reason: `${outcome.jobName} already is the champion of ${decision.branch}`,
            };
            if (previous.championUri)
                io.setOutput('champion-uri', previous.championUri);
            promoted = true;
        }
        else {
            const champion = {
                version: 1,
                branch: decision.branch,
                jobName: outcome.jobName,
                consoleUrl: outcome.consoleUrl,
                metrics: (0,model_champion/* championMetrics */.VN)(metrics),
                ...(dataset.snapshot ? { snapshot: dataset.snapshot } : {}),
                image: image.imageUri,
                ...(image.imageDigest ? { imageDigest: image.imageDigest } : {}),
                modelUri,
                ...(config.context.sha ? { commit: config.context.sha } : {}),
                promotedAt: now.toISOString(),
            };
            try {
                const { uri } = await model.promote(champion, previous);
                report.promotion = { ...decision, uri };
                io.setOutput('champion-uri', uri);
                io.info(`Promoted ${outcome.jobName} to champion of ${decision.branch}: ${uri}`);
                promoted = true;
            }
            catch (error) {
                // The verdict is the gate's: a lost promotion race is reported, not a red build.
                const warning = `Not promoted: ${(0,errors/* errorMessage */.g)(error)}`;
                report.promotion = { ...decision, promote: false, warning };
                io.notice(warning);
            }
        }
    }
    else {
        io.info(`Not promoted: ${decision.reason}`);
    }
    io.setOutput('promoted', String(promoted));
    return failure ? { report, failure } : { report };
}

;// CONCATENATED MODULE: ./src/pipeline.ts



const NO_METRICS = { perClass: [], epochs: [], source: 'none' };
const NO_GATE = { passed: false, checks: [], message: '' };
function datasetInputFromUri(uri) {
    return { ref: { uri }, input: { kind: 's3-prefix', uri } };
}
async function runPipeline(config, stages, io) {
    if (!config.datasetS3Uri) {
        await io.group('Dataset: validate', () => stages.validateDataset(config));
    }
    if (config.context.isForkPullRequest && !config.trainForkPullRequests) {
        // A fork's pull request runs without AWS credentials and with a read-only token: validation
        // is all that can (and should) run; nothing is uploaded, built or trained.
        const validated = config.datasetS3Uri
            ? 'the dataset is in S3, so nothing was checked'
            : 'the dataset was validated';
        io.notice(`Pull request from a fork: ${validated}; nothing was uploaded, built or trained (fork-pull-requests: validate). A maintainer can run the training by hand.`);
        return {};
    }
    const dataset = config.datasetS3Uri
        ? datasetInputFromUri(config.datasetS3Uri)
        : await io.group('Dataset: sync snapshot', () => stages.prepareDataset(config));
    io.setOutput('dataset-uri', dataset.ref.uri);
    if (dataset.ref.snapshot)
        io.setOutput('snapshot', dataset.ref.snapshot);
    const image = await io.group('Training image', () => stages.resolveImage(config));
    io.setOutput('image-uri', image.imageUri);
    if (image.imageDigest)
        io.setOutput('image-digest', image.imageDigest);
    const reuse = await io.group('Training job: identical inputs?', () => findReusableJob(config, stages, io, dataset, image));
    const launch = reuse.outcome
        ? { jobName: reuse.outcome.jobName, attached: false, alreadyEnded: reuse.outcome }
        : await io.group('Training job: start', () => stages.training.launch(config, image, dataset));
    io.setOutput('job-name', launch.jobName);
    io.jobState(launch.jobName, launch.alreadyEnded !== undefined);
    if (!config.wait && !launch.alreadyEnded) {
        const outcome = await stages.training.describe(launch.jobName);
        io.setOutput('job-status', outcome.status);
        io.notice(`Job ${launch.jobName} is running detached (wait: false); gate it later with \`sagemaker-yolo report ${launch.jobName}\`.`);
        return { outcome };
    }
    const outcome = launch.alreadyEnded ??
        (await io.group('Training job: wait', () => stages.training.wait(launch.jobName)));
    // Done waiting either way: after a timeout the job is left running on purpose (wait-timeout
    // says so), so the post step must not stop it.
    io.jobState(launch.jobName, true);
    if (outcome.status !== 'Completed' || outcome.timedOut) {
        setOutputs(io, metricsOutputs(NO_METRICS, NO_GATE, outcome));
        const report = await io.group('Report', () => stages.report({ config, outcome, metrics: NO_METRICS, dataset: dataset.ref, image }));
        if (report.commentUrl)
            io.setOutput('comment-url', report.commentUrl);
        return { passed: false, outcome, failure: describeFailure(outcome) };
    }
    const metrics = await io.group('Metrics', () => stages.readMetrics(outcome));
    const baseline = await loadBaseline(config, stages, io, dataset.ref);
    const gate = evaluateGate(metrics, config.thresholds, regressionGateFor(config, baseline));
    setOutputs(io, metricsOutputs(metrics, gate, outcome));
    io.info(gate.message);
    const lifecycle = await finishModelLifecycle({
        config,
        stages,
        io,
        outcome,
        metrics,
        gate,
        image,
        dataset: dataset.ref,
        reuse,
        ...(baseline ? { baseline } : {}),
    });
    const model = await deliver(config, stages, io, outcome);
    const { commentUrl } = await io.group('Report', () => stages.report({
        config,
        outcome,
        metrics,
        gate,
        dataset: dataset.ref,
        image,
        lifecycle: lifecycle.report,
        ...(model ? { model } : {}),
    }));
    if (commentUrl)
        io.setOutput('comment-url', commentUrl);
    const failure = gate.passed ? lifecycle.failure : `Quality gate failed:\n${gate.message}`;
    return {
        passed: gate.passed,
        outcome,
        metrics,
        gate,
        ...(failure ? { failure } : {}),
    };
}
function describeFailure(outcome) {
    if (outcome.credentialsExpired) {
        return `The AWS credentials expired while waiting for training job ${outcome.jobName}; the job keeps running. Gate it when it has ended with \`sagemaker-yolo report ${outcome.jobName}\`, or set role-to-assume so the action renews its credentials.`;
    }
    if (outcome.costCapStop) {
        const { maxCostUsd, estimatedUsd } = outcome.costCapStop;
        return `Training job ${outcome.jobName} was stopped by max-cost: its estimated cost $${estimatedUsd.toFixed(2)} reached the cap of $${maxCostUsd.toFixed(2)} (less the time a stop takes); it ended ${outcome.status}. Raise max-cost, lower epochs or max-runtime, or use a cheaper instance-type.`;
    }
    if (outcome.timedOut) {
        return `Gave up waiting for training job ${outcome.jobName} (status ${outcome.status}); it may still be running. Raise wait-timeout, or use wait: false and gate it later.`;
    }
    if (outcome.limitExceeded) {
        return `Training job ${outcome.jobName} hit ${outcome.limitExceeded}: raise max-runtime${outcome.spot ? ' / max-wait' : ''} or lower epochs.`;
    }
    const reason = outcome.failureReason ? `: ${outcome.failureReason}` : '';
    return `Training job ${outcome.jobName} ended ${outcome.status}${reason}`;
}
async function deliver(config, stages, io, outcome) {
    const { deliverModel } = stages;
    if (!config.modelDelivery.download || !deliverModel)
        return undefined;
    const model = await io.group('Model: download', () => deliverModel(outcome));
    io.setOutput('model-path', model.dir);
    if (model.artifact)
        io.setOutput('artifact-id', String(model.artifact.id));
    if (model.artifactSkipped) {
        io.notice(`The model was downloaded to ${model.dir}; no workflow artifact: ${model.artifactSkipped}.`);
    }
    return model;
}
function setOutputs(io, outputs) {
    for (const [name, value] of Object.entries(outputs))
        if (value !== '')
            io.setOutput(name, value);
}

// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(6264);
;// CONCATENATED MODULE: ./src/training/status.ts

const TERMINAL_STATUSES = new Set(['Completed', 'Failed', 'Stopped']);
function isTerminalStatus(status) {
    return status !== undefined && TERMINAL_STATUSES.has(status);
}
/** A job that can still end on its own: attaching to it makes sense. */
function isActiveStatus(status) {
    return status === 'InProgress' || status === 'Stopping';
}
function newTransitionState() {
    return { printed: new Map() };
}
function time(value) {
    if (value === undefined)
        return undefined;
    const ms = value instanceof Date ? value.getTime() : new Date(value).getTime();
    return Number.isFinite(ms) ? ms : undefined;
}
/**
 * The transitions not printed yet (each once, in order), plus message changes of ones already
 * printed (SageMaker refines e.g. Downloading's message while it runs). Mutates `state`.
 */
function takeNewTransitions(state, transitions, creationTime) {
    const events = [];
    const origin = time(creationTime) ?? time(transitions?.[0]?.StartTime);
    for (const t of transitions ?? []) {
        const status = t.Status ?? 'Unknown';
        const start = time(t.StartTime);
        const key = `${status}@${start ?? ''}`;
        const message = t.StatusMessage?.trim() || undefined;
        const before = state.printed.get(key);
        if (before === undefined) {
            state.printed.set(key, message ?? '');
            events.push({
                status,
                message,
                elapsedSeconds: origin !== undefined && start !== undefined ? (start - origin) / 1000 : undefined,
                update: false,
            });
        }
        else if (message && message !== before) {
            state.printed.set(key, message);
            events.push({ status, message, update: true });
        }
    }
    return events;
}
/** The extra explanation a status deserves, if any. */
function statusNote(status) {
    switch (status) {
        case 'Interrupted':
            return 'spot capacity reclaimed, SageMaker will resume from the last checkpoint when capacity returns';
        case 'Restarting':
            return 'restarting on new spot capacity; training resumes from the last checkpoint';
        case 'MaxRuntimeExceeded':
            return 'the job hit max-runtime and was stopped';
        case 'MaxWaitTimeExceeded':
            return 'the job hit max-wait (spot capacity waits plus runtime) and was stopped';
        default:
            return undefined;
    }
}
function formatTransition(event) {
    const when = event.elapsedSeconds !== undefined ? `[+${(0,format/* formatDuration */.a)(event.elapsedSeconds)}] ` : '';
    if (event.update)
        return `${' '.repeat(when.length)}${event.status}: ${event.message}`;
    const note = statusNote(event.status);
    const text = [event.message, note].filter(Boolean).join(' — ');
    return `${when}${event.status}${text ? `: ${text}` : ''}`;
}
/** 1 − billable/training in [0, 1]; undefined when not spot or either time is unknown. */
function spotSavings(outcome) {
    const { spot, trainingSeconds: t, billableSeconds: b } = outcome;
    if (!spot || t === undefined || b === undefined || !(t > 0) || !(b >= 0))
        return undefined;
    return Math.min(1, Math.max(0, 1 - b / t));
}
/** One line for the log when polling ends. */
function formatOutcome(outcome) {
    const parts = [`Training job ${outcome.jobName}: ${outcome.status}`];
    if (outcome.secondaryStatus && outcome.secondaryStatus !== outcome.status) {
        parts[0] += ` (${outcome.secondaryStatus})`;
    }
    if (outcome.timedOut)
        parts.push('stopped waiting at the timeout; the job may still be running');
    if (outcome.trainingSeconds !== undefined) {
        parts.push(`training ${(0,format/* formatDuration */.a)(outcome.trainingSeconds)}`);
    }
    if (outcome.billableSeconds !== undefined) {
        parts.push(`billable ${(0,format/* formatDuration */.a)(outcome.billableSeconds)}`);
    }
    const savings = spotSavings(outcome);
    if (savings !== undefined)
        parts.push(`spot savings ${Math.round(savings * 100)}%`);
    if (outcome.failureReason)
        parts.push(`reason: ${outcome.failureReason}`);
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/report/price-table.ts
// On-demand SageMaker *training* prices in USD per instance-hour, by region. Data only.
//
// Only figures found in public pricing material are listed; a type or region that is not here is
// "price unknown" (set `instance-price`, or let the Price List API answer), never a guess: GPU
// prices differ by region and change over time, and a wrong number in a cost cap is worse than
// none. Where a figure came from:
// - ml.g4dn.xlarge, ml.p3.2xlarge, ml.p3.8xlarge, ml.p3.16xlarge (us-east-1): the original team's
//   launcher notes, quoted in this project's issue 13 (AWS SageMaker pricing page, us-east-1).
// - ml.g5.2xlarge (us-east-1): Price List API output (`<type>-Training`, "US East (N. Virginia)")
//   printed in AWS's own sample aws-samples/amazon-sagemaker-training-jobs-benchmarks,
//   instance_types_RoBERTa_benchmark/instance_types_benchmark_roberta.ipynb, which also prints
//   ml.p3.2xlarge at 3.825 (matching the figure above).
// Other g5/g6/p4d/p5 sizes were searched for in AWS's public material and not found in a form
// this project could cite; third-party copies disagree with each other (ml.g5.2xlarge is quoted
// at four different prices), so they are left out.
const PRICE_TABLE_SOURCE = 'AWS SageMaker on-demand training price';
const TRAINING_PRICES = {
    'us-east-1': {
        'ml.g4dn.xlarge': { usdPerHour: 0.736, source: PRICE_TABLE_SOURCE },
        'ml.p3.2xlarge': { usdPerHour: 3.825, source: PRICE_TABLE_SOURCE },
        'ml.p3.8xlarge': { usdPerHour: 14.688, source: PRICE_TABLE_SOURCE },
        'ml.p3.16xlarge': { usdPerHour: 28.152, source: PRICE_TABLE_SOURCE },
        'ml.g5.2xlarge': { usdPerHour: 1.515, source: PRICE_TABLE_SOURCE },
    },
};

;// CONCATENATED MODULE: ./src/report/cost.ts
// What a training job cost, what it could cost at worst, and whether a spend cap allows it. Pure:
// prices come in (table, input or Price List API), dollars and decisions come out.
//
// SageMaker bills BillableTimeInSeconds × InstanceCount at the instance's hourly price; managed
// spot shows its discount as fewer billable than training seconds (savings = 1 − billable /
// training), so the on-demand cost of the same job is training seconds at the same price. A warm
// pool's retained time (WarmPoolStatus.ResourceRetainedBillableTimeInSeconds) is billed the same
// way, per instance. (SageMaker API reference, DescribeTrainingJob.)


/** The figure from the project's table, or why there is none. */
function tablePrice(instanceType, region) {
    const regional = TRAINING_PRICES[region];
    const entry = regional && Object.hasOwn(regional, instanceType) ? regional[instanceType] : undefined;
    if (entry) {
        return {
            known: true,
            price: { instanceType, region, usdPerHour: entry.usdPerHour, origin: 'table' },
        };
    }
    const where = regional
        ? `${instanceType} is not in the price table for ${region}`
        : `the price table has no prices for ${region}`;
    return { known: false, reason: where };
}
/** The `instance-price` input wins over everything: the user knows their own rate (discounts, plans). */
function resolvePrice(options) {
    const { instanceType, region, override, live } = options;
    if (override !== undefined) {
        return { known: true, price: { instanceType, region, usdPerHour: override, origin: 'input' } };
    }
    if (live?.known)
        return live;
    const table = tablePrice(instanceType, region);
    if (table.known || !live)
        return table;
    return { known: false, reason: `${table.reason}; ${live.reason}` };
}
function describePriceOrigin(price) {
    switch (price.origin) {
        case 'input':
            return 'the instance-price input';
        case 'price-list-api':
            return `the AWS Price List API (${price.region}, on-demand)`;
        case 'table':
            return `the price table in this action (${price.region}, on-demand)`;
    }
}
const finiteNonNegative = (n) => n !== undefined && Number.isFinite(n) && n >= 0;
function usdFor(seconds, instanceCount, usdPerHour) {
    return (seconds * instanceCount * usdPerHour) / 3600;
}
/** The cost of an ended job; unknown (with the reason) when SageMaker reported no billable time. */
function jobCost(facts, price) {
    if (!price.known)
        return { known: false, reason: price.reason };
    const { usdPerHour } = price.price;
    const count = facts.instanceCount;
    if (!finiteNonNegative(facts.billableSeconds)) {
        return {
            known: false,
            reason: 'SageMaker reported no billable time for the job (yet)',
            price: price.price,
        };
    }
    const warm = finiteNonNegative(facts.warmPoolRetainedSeconds)
        ? usdFor(facts.warmPoolRetainedSeconds, count, usdPerHour)
        : 0;
    const cost = {
        usd: usdFor(facts.billableSeconds, count, usdPerHour) + warm,
        price: price.price,
    };
    if (warm > 0)
        cost.warmPoolUsd = warm;
    if (facts.spot && finiteNonNegative(facts.trainingSeconds) && facts.trainingSeconds > 0) {
        cost.onDemandUsd = usdFor(facts.trainingSeconds, count, usdPerHour) + warm;
        cost.spotSavings = Math.min(1, Math.max(0, 1 - facts.billableSeconds / facts.trainingSeconds));
    }
    return { known: true, cost };
}
/** `$12.35`; small amounts keep cents visible (`$0.04`), sub-cent ones say so. */
function formatUsd(usd) {
    if (!Number.isFinite(usd))
        return 'unknown';
    if (usd > 0 && usd < 0.005)
        return '< $0.01';
    return `$${usd.toFixed(2)}`;
}
function formatHourly(price) {
    return `$${price.usdPerHour.toFixed(3)}/h`;
}
/** One line: "$1.23 (managed spot, 70% saved; $4.10 on demand)". */
function formatCost(report) {
    if (!report.known)
        return `${report.price ? 'unknown' : 'price unknown'}: ${report.reason}`;
    const { cost } = report;
    const parts = [];
    if (cost.spotSavings !== undefined && cost.onDemandUsd !== undefined) {
        parts.push(`managed spot, ${Math.round(cost.spotSavings * 100)}% saved; ${formatUsd(cost.onDemandUsd)} on demand`);
    }
    if (cost.warmPoolUsd !== undefined)
        parts.push(`${formatUsd(cost.warmPoolUsd)} of it warm pool`);
    return `${formatUsd(cost.usd)}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}
/**
 * Seconds of margin the running-cost cap keeps below `max-cost`: one poll interval (at most 60 s)
 * before the action sees the cost pass, plus the 120 s a stopped container gets to checkpoint.
 */
const STOP_MARGIN_SECONDS = 180;
/**
 * Before starting: the worst case is max-runtime × count × price. Within the cap, start. Above
 * it, start only when the action will itself stop the job before the cap (it waits, and its wait
 * lasts past that point); otherwise refuse and say which limit to change.
 */
function decideMaxCost(input) {
    const { maxCostUsd, price, instanceCount, maxRuntimeSeconds } = input;
    const cap = formatUsd(maxCostUsd);
    if (!price.known) {
        return {
            action: 'refuse',
            message: `max-cost ${cap} cannot be enforced: price unknown for ${input.instanceType} in ${input.region} ` +
                `(${price.reason}). Set instance-price to the hourly price of one instance.`,
        };
    }
    const rate = usdFor(1, instanceCount, price.price.usdPerHour); // USD per second, all instances
    const worst = rate * maxRuntimeSeconds;
    const worstText = `${formatUsd(worst)} (max-runtime ${(0,format/* formatDuration */.a)(maxRuntimeSeconds)} × ${instanceCount} × ${formatHourly(price.price)} from ${describePriceOrigin(price.price)})`;
    const stopAtUsd = maxCostUsd - rate * STOP_MARGIN_SECONDS;
    const plan = {
        maxCostUsd,
        price: price.price,
        instanceCount,
        stopAtUsd,
        stopAfterSeconds: stopAtUsd / rate,
    };
    if (worst <= maxCostUsd) {
        return {
            action: 'start',
            message: `Worst case ${worstText} is within max-cost ${cap}.`,
            plan,
        };
    }
    if (stopAtUsd <= 0) {
        return {
            action: 'refuse',
            message: `max-cost ${cap} is less than ${(0,format/* formatDuration */.a)(STOP_MARGIN_SECONDS)} of ${input.instanceType} × ${instanceCount} (${formatUsd(rate * STOP_MARGIN_SECONDS)}), the least a stopped job can cost; the worst case is ${worstText}. Raise max-cost.`,
        };
    }
    const stopIn = (0,format/* formatDuration */.a)(plan.stopAfterSeconds);
    if (!input.wait) {
        return {
            action: 'refuse',
            message: `Worst case ${worstText} exceeds max-cost ${cap}, and with wait: false nothing stops the job at the cap. Lower max-runtime to ${Math.floor(maxCostUsd / rate)} s or less, raise max-cost, or set wait: true.`,
        };
    }
    if (input.waitTimeoutSeconds < plan.stopAfterSeconds) {
        return {
            action: 'refuse',
            message: `Worst case ${worstText} exceeds max-cost ${cap}, and wait-timeout (${(0,format/* formatDuration */.a)(input.waitTimeoutSeconds)}) ends the wait before the cap would stop the job (after about ${stopIn} of billing). Lower max-runtime to ${Math.floor(maxCostUsd / rate)} s or less, raise max-cost, or raise wait-timeout.`,
        };
    }
    return {
        action: 'start',
        message: `Worst case ${worstText} exceeds max-cost ${cap}: the job is expected to stop sooner, because this action stops it when its estimated cost reaches ${formatUsd(stopAtUsd)} (after about ${stopIn} of billing).`,
        plan,
    };
}
/** Upper bound on what a running job has cost: wall time since its instances started, on demand. */
function runningCostUsd(elapsedSeconds, plan) {
    return usdFor(Math.max(0, elapsedSeconds), plan.instanceCount, plan.price.usdPerHour);
}
/** The outcome with its cost (or the reason it is unknown) attached. */
function withCost(outcome, price) {
    return { ...outcome, cost: jobCost(outcome, price) };
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
// Markdown helpers for text we do not control (class names, job names, failure reasons, URIs).
// GitHub renders comments as GFM and then runs filters over the HTML (mentions, issue links), so
// escaping has to defeat three things: raw HTML, markdown syntax (including table pipes and
// line-start block markers) and @mentions. Entities are used rather than backslashes because they
// work the same in paragraphs and table cells.
/** Characters that can start or change markdown/HTML structure anywhere in a line. */
const INLINE_SPECIAL = /[&<>"'`\\*_[\](){}#|~!$^]/g;
/** C0/C1 controls and bidi overrides/isolates (which can make text read differently than it is). */
const INVISIBLE = 
// eslint-disable-next-line no-control-regex
/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width space: breaks `@name` (no notifications) and bare URLs (no autolinks), invisibly. */
const ZWSP = '\u200B';
function entity(ch) {
    return `&#${ch.codePointAt(0)};`;
}
/** Truncates to at most `max` code points (never splitting a surrogate pair), with an ellipsis. */
function truncateText(text, max) {
    const chars = Array.from(text);
    if (chars.length <= max)
        return text;
    return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
/**
 * Escapes text for one line of markdown (a table cell, a list item, a heading). Newlines and other
 * whitespace runs collapse to one space so the text cannot end a table row or start a block.
 */
function escapeInline(text, maxChars = 200) {
    const flat = text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
    return escapeChars(truncateText(flat, maxChars));
}
function escapeChars(text) {
    return (text
        .replace(INLINE_SPECIAL, entity)
        .replace(/@/g, `@${ZWSP}`)
        // GFM autolinks bare URLs and www. names, possibly after entities are decoded: break them.
        .replace(/\b(https?|ftp):\/\//gi, `$1:${ZWSP}//`)
        .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`));
}
/**
 * An identifier or URI (S3 URI, image URI) as a code span, so it can be copied exactly; falls back
 * to escaped text when it holds anything a code span in a table cell could not carry literally.
 */
function code(text, maxChars = 300) {
    if (text.length <= maxChars && /^[A-Za-z0-9._:/@+=,~%#?&-]+$/.test(text))
        return `\`${text}\``;
    return escapeInline(text, maxChars);
}
/**
 * Escapes multi-line text (a failure reason) as a blockquote: each line escaped, line-start block
 * markers (lists, setext underlines, ordered lists, indented code) neutralised.
 */
function escapeBlockquote(text, maxChars = 4000) {
    const clean = truncateText(text.replace(INVISIBLE, '').replace(/\r\n?/g, '\n'), maxChars);
    const lines = clean
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ').trim())
        .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
    while (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    if (lines.length === 0)
        return '> (no reason given)';
    return lines
        .map((line) => {
        if (line === '')
            return '>';
        let escaped = escapeChars(line);
        // A leading -, +, = or "12." would start a list, a setext heading or an ordered list.
        escaped = escaped.replace(/^[-+=]/, entity).replace(/^(\d+)\./, '$1&#46;');
        return `> ${escaped}`;
    })
        .join('\n');
}
/**
 * A markdown link to an http(s) URL, or just the escaped text when the URL is not one.
 * The destination is wrapped in <> after percent-encoding what could end it.
 */
function markdown_link(text, url, maxChars = 200) {
    const label = escapeInline(text, maxChars);
    const safe = safeUrl(url);
    return safe ? `[${label}](<${safe}>)` : label;
}
function safeUrl(url) {
    if (!url)
        return undefined;
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return undefined;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        return undefined;
    // URL.href already percent-encodes spaces and quotes; <, > and control characters cannot
    // survive parsing either. Encode the remaining characters that end a `(<...>)` destination.
    return parsed.href.replace(/[<>()\s]/g, (ch) => encodeURIComponent(ch));
}
/**
 * A GFM table. Cells are taken as already-safe markdown: escape user text with escapeInline first.
 * Pipes and newlines are still replaced defensively so one bad cell cannot break the table.
 */
function table(headers, rows, align = []) {
    const cell = (s) => s.replace(/\|/g, '&#124;').replace(/[\r\n]+/g, ' ');
    const sep = headers.map((_, i) => {
        const a = align[i] ?? 'left';
        return a === 'right' ? '---:' : a === 'center' ? ':-:' : '---';
    });
    const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
    return [line(headers), `|${sep.join('|')}|`, ...rows.map((r) => line(r))].join('\n');
}
/** Size as GitHub may count it: UTF-8 bytes are never fewer than characters or UTF-16 units. */
function markdownSize(text) {
    return Buffer.byteLength(text, 'utf8');
}
/**
 * Cuts markdown to at most `maxBytes` UTF-8 bytes without splitting a character, an entity or a
 * line, and appends `note`. The head of the text (where the marker lives) is always kept.
 */
function truncateMarkdown(text, maxBytes, note) {
    if (markdownSize(text) <= maxBytes)
        return text;
    const budget = maxBytes - markdownSize(note) - 2;
    if (budget <= 0)
        throw new Error('truncateMarkdown: budget smaller than the note');
    const bytes = Buffer.from(text, 'utf8');
    // Step back off UTF-8 continuation bytes so the cut ends on a whole character.
    let end = budget;
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80)
        end--;
    let cut = bytes.subarray(0, end).toString('utf8');
    const lastNewline = cut.lastIndexOf('\n');
    if (lastNewline > 0)
        cut = cut.slice(0, lastNewline);
    // Never leave a half entity such as "&#12".
    cut = cut.replace(/&#?\w*$/, '');
    return `${cut}\n\n${note}`;
}

;// CONCATENATED MODULE: ./src/report/charts.ts
// Per-epoch curves from results.csv: Mermaid `xychart-beta` sources for the comment, the numbers
// as a table (GitHub's Mermaid can lag or fail, so the table is the fallback), and a text chart
// for the terminal. Pure.
//
// xychart-beta draws no legend, so each chart holds lines of one kind and its title names them
// in drawing order; long runs are downsampled so 300 epochs cost what 60 do.


/** Points per chart and rows per table: enough to see a curve's shape, small in a comment. */
const MAX_POINTS = 60;
/** Sum of the loss components ultralytics logs for a split (box, cls, dfl; seg/pose add theirs). */
function totalLoss(row, split) {
    let sum = 0;
    let found = false;
    for (const [name, value] of Object.entries(row.values)) {
        if (name.startsWith(`${split}/`) && name.endsWith('_loss')) {
            sum += value;
            found = true;
        }
    }
    return found ? sum : Number.NaN;
}
const MAP_SERIES = [
    { name: 'mAP@0.5', value: (r) => r.values[RESULTS_COLUMNS.map50] ?? Number.NaN },
    { name: 'mAP@0.5:0.95', value: (r) => r.values[RESULTS_COLUMNS.map50_95] ?? Number.NaN },
];
const LOSS_SERIES = [
    { name: 'train loss', value: (r) => totalLoss(r, 'train') },
    { name: 'val loss', value: (r) => totalLoss(r, 'val') },
];
/**
 * At most `max` rows, evenly spaced, always keeping the first and the last. Rows where any series
 * is not a finite number are left out first (a chart line cannot have holes).
 */
function downsample(rows, series, max = MAX_POINTS) {
    const usable = rows.filter((r) => series.every((s) => Number.isFinite(s.value(r))));
    if (usable.length <= max)
        return usable;
    const picked = [];
    for (let i = 0; i < max; i++) {
        const row = usable[Math.round((i * (usable.length - 1)) / (max - 1))];
        if (picked[picked.length - 1] !== row)
            picked.push(row);
    }
    return picked;
}
/** Four significant decimals: what a reviewer compares, and short enough for a comment. */
function n(value) {
    return String(Number(value.toFixed(4)));
}
const MAP_CHART = {
    title: 'mAP@0.5 (upper line) and mAP@0.5:0.95 by epoch',
    yLabel: 'mAP',
    series: MAP_SERIES,
    yRange: [0, 1],
};
const LOSS_CHART = {
    title: 'Train loss and val loss (box + cls + dfl) by epoch',
    yLabel: 'loss',
    series: LOSS_SERIES,
};
/** Mermaid xychart-beta source, or undefined with fewer than two usable epochs. */
function xyChart(rows, spec) {
    const points = downsample(rows, spec.series);
    if (points.length < 2)
        return undefined;
    // Titles are ours, never user text; quotes would end the string.
    const quote = (s) => `"${s.replace(/"/g, "'")}"`;
    const lines = [
        'xychart-beta',
        `  title ${quote(spec.title)}`,
        `  x-axis ${quote('epoch')} [${points.map((r) => r.epoch).join(', ')}]`,
        spec.yRange
            ? `  y-axis ${quote(spec.yLabel)} ${spec.yRange[0]} --> ${spec.yRange[1]}`
            : `  y-axis ${quote(spec.yLabel)}`,
        ...spec.series.map((s) => `  line [${points.map((r) => n(s.value(r))).join(', ')}]`),
    ];
    return lines.join('\n');
}
function mermaidBlock(source) {
    return ['```mermaid', source, '```'].join('\n');
}
const TABLE_SERIES = [
    ...MAP_SERIES,
    { name: 'Precision', value: (r) => r.values[RESULTS_COLUMNS.precision] ?? Number.NaN },
    { name: 'Recall', value: (r) => r.values[RESULTS_COLUMNS.recall] ?? Number.NaN },
    ...LOSS_SERIES,
];
/** The numbers behind the charts (downsampled the same way; a missing value shows as —). */
function epochTable(rows, max = MAX_POINTS) {
    if (rows.length === 0)
        return undefined;
    const shown = downsample(rows, [], max);
    const cell = (v) => (Number.isFinite(v) ? n(v) : '—');
    return table(['Epoch', ...TABLE_SERIES.map((s) => s.name)], shown.map((r) => [String(r.epoch), ...TABLE_SERIES.map((s) => cell(s.value(r)))]), ['right', ...TABLE_SERIES.map(() => 'right')]);
}
/**
 * A terminal chart: one row per series, `height` levels of block characters per column, values
 * scaled to the chart's y range (or the data's), with the first and last value at the ends.
 */
function textChart(rows, spec, width = MAX_POINTS, labelWidth = 0) {
    const points = downsample(rows, spec.series, width);
    if (points.length < 2)
        return [];
    const values = spec.series.map((s) => points.map((r) => s.value(r)));
    const all = values.flat();
    const [lo, hi] = spec.yRange ?? [
        all.reduce((a, b) => Math.min(a, b), Infinity),
        all.reduce((a, b) => Math.max(a, b), -Infinity),
    ];
    const blocks = '▁▂▃▄▅▆▇█';
    const level = (v) => hi === lo ? 0 : Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * 7);
    const label = spec.series.reduce((w, s) => Math.max(w, s.name.length), labelWidth);
    return spec.series.map((s, i) => {
        const line = values[i].map((v) => blocks[level(v)]).join('');
        const first = values[i][0];
        const last = values[i][points.length - 1];
        return `${s.name.padEnd(label)}  ${line}  ${n(first)} → ${n(last)}`;
    });
}

;// CONCATENATED MODULE: ./src/report/training-section.ts
// The comment's "Training" section: how the run went (epochs completed vs asked, early stopping,
// best epoch, time per epoch, spot interruptions) and its per-epoch curves as Mermaid charts with
// the numbers in a collapsed table. Pure.


/** ultralytics' default `patience` (epochs without improvement before it stops early). */
const DEFAULT_PATIENCE = 100;
function positiveInt(value) {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
}
/**
 * Seconds per epoch from results.csv's `time` column (cumulative seconds, ultralytics ≥ 8.3.9):
 * the median of the steps, so a resume (the clock restarts) or one slow validation does not skew
 * it. Undefined without that column.
 */
function secondsPerEpoch(rows) {
    const steps = [];
    let previous;
    for (const row of rows) {
        const t = row.values.time;
        const p = previous?.values.time;
        if (previous && t !== undefined && p !== undefined && row.epoch === previous.epoch + 1) {
            const step = t - p;
            if (Number.isFinite(step) && step > 0)
                steps.push(step);
        }
        else if (!previous && t !== undefined && Number.isFinite(t) && t > 0 && row.epoch === 1) {
            steps.push(t);
        }
        previous = row;
    }
    if (steps.length === 0)
        return undefined;
    steps.sort((a, b) => a - b);
    const mid = Math.floor(steps.length / 2);
    return steps.length % 2
        ? steps[mid]
        : (steps[mid - 1] + steps[mid]) / 2;
}
function trainingFacts(metrics, job, hyperparameters) {
    const completed = metrics.epochsCompleted ?? (metrics.epochs.at(-1)?.epoch || undefined);
    const asked = positiveInt(hyperparameters?.epochs);
    // Fewer epochs than asked in a job that completed on its own: ultralytics' patience stopped it.
    const earlyStopped = job.status === 'Completed' &&
        !job.limitExceeded &&
        completed !== undefined &&
        asked !== undefined &&
        completed < asked;
    let perEpoch = secondsPerEpoch(metrics.epochs);
    let perEpochEstimated = false;
    if (perEpoch === undefined && completed && job.trainingSeconds !== undefined) {
        perEpoch = job.trainingSeconds / completed;
        perEpochEstimated = true;
    }
    const facts = { earlyStopped, perEpochEstimated };
    if (completed !== undefined)
        facts.completed = completed;
    if (asked !== undefined)
        facts.asked = asked;
    if (metrics.bestEpoch !== undefined)
        facts.best = metrics.bestEpoch;
    if (earlyStopped)
        facts.patience = positiveInt(hyperparameters?.patience) ?? DEFAULT_PATIENCE;
    if (perEpoch !== undefined)
        facts.secondsPerEpoch = perEpoch;
    if (job.spotInterruptions !== undefined)
        facts.interruptions = job.spotInterruptions;
    if (job.spotRestarts !== undefined)
        facts.restarts = job.spotRestarts;
    return facts;
}
/** The facts as bullet points (markdown-safe: numbers and our own words only). */
function trainingFactLines(facts) {
    const lines = [];
    if (facts.completed !== undefined) {
        const of = facts.asked !== undefined ? ` of ${facts.asked} asked` : '';
        lines.push(`Epochs: ${facts.completed}${of}`);
    }
    if (facts.earlyStopped) {
        lines.push(`Early stopping: yes, no improvement for ${facts.patience} epochs (patience); the best weights are kept`);
    }
    else if (facts.completed !== undefined && facts.asked !== undefined) {
        lines.push('Early stopping: no');
    }
    if (facts.best !== undefined)
        lines.push(`Best epoch: ${facts.best}`);
    if (facts.secondsPerEpoch !== undefined) {
        lines.push(facts.perEpochEstimated
            ? `Time per epoch: about ${(0,format/* formatDuration */.a)(facts.secondsPerEpoch)} (training time ÷ epochs, startup included)`
            : `Time per epoch: ${(0,format/* formatDuration */.a)(facts.secondsPerEpoch)} (median)`);
    }
    if (facts.interruptions !== undefined) {
        const n = facts.interruptions;
        lines.push(n === 0
            ? 'Spot interruptions: none'
            : `Spot interruptions: ${n}, resumed from a checkpoint ${facts.restarts ?? 0} time${facts.restarts === 1 ? '' : 's'}`);
    }
    return lines;
}
function trainingSection(metrics, job, hyperparameters, options = {}) {
    const facts = trainingFactLines(trainingFacts(metrics, job, hyperparameters));
    const charts = [xyChart(metrics.epochs, MAP_CHART), xyChart(metrics.epochs, LOSS_CHART)].filter((c) => c !== undefined);
    if (facts.length === 0 && charts.length === 0)
        return undefined;
    const parts = ['#### Training', ''];
    if (facts.length > 0)
        parts.push(facts.map((f) => `- ${f}`).join('\n'), '');
    for (const chart of charts)
        parts.push(mermaidBlock(chart), '');
    const rows = options.tableRows ?? MAX_POINTS;
    const numbers = rows > 0 ? epochTable(metrics.epochs, rows) : undefined;
    if (numbers) {
        const shown = Math.min(rows, metrics.epochs.length);
        const note = shown < metrics.epochs.length ? `, ${shown} of ${metrics.epochs.length} epochs shown` : '';
        parts.push(`<details><summary>Per-epoch numbers (from results.csv${note})</summary>`, '', numbers, '', '</details>', '');
    }
    return parts.join('\n').trimEnd();
}

;// CONCATENATED MODULE: ./src/model/compare.ts
// This run's metrics beside the baseline's (pure). A delta exists only where both sides reported
// the number: a missing side shows as missing, never as a made-up difference.

function pair(label, value, baseline) {
    const row = { label };
    if (isReported(value))
        row.value = value;
    if (isReported(baseline))
        row.baseline = baseline;
    if (row.value !== undefined && row.baseline !== undefined)
        row.delta = row.value - row.baseline;
    return row;
}
function compareMetrics(metrics, baseline) {
    const task = metrics.task ?? baseline.task ?? 'detect';
    const keys = task === 'classify'
        ? ['top1', 'top5']
        : ['map50', 'map50_95', 'precision', 'recall'];
    const rows = keys.map((k) => pair(k === 'top5' ? 'Top-5 accuracy' : METRIC_LABELS[k], metrics[k], baseline[k]));
    const before = new Map(baseline.perClass.map((c) => [c.name, c.ap50]));
    const after = new Map(metrics.perClass.map((c) => [c.name, c.ap50]));
    const names = [...after.keys(), ...[...before.keys()].filter((n) => !after.has(n))];
    const classes = names.map((name) => ({ name, ...pair(name, after.get(name), before.get(name)) }));
    return { metrics: rows, classes };
}
/** ↑, ↓ or = (colour-free), judged at the 4 decimals the report shows. */
function deltaSymbol(delta) {
    const shown = Number(delta.toFixed(4));
    return shown > 0 ? '↑' : shown < 0 ? '↓' : '=';
}
/** `↑ +0.0123`, `↓ −0.0500`, `= 0.0000`. */
function formatDelta(delta) {
    const symbol = deltaSymbol(delta);
    const magnitude = Math.abs(delta).toFixed(4);
    return symbol === '↑'
        ? `↑ +${magnitude}`
        : symbol === '↓'
            ? `↓ −${magnitude}`
            : `= ${(0).toFixed(4)}`;
}

;// CONCATENATED MODULE: ./src/report/baseline.ts
// The comment's model life cycle sections (pure): a reuse line, this run beside the baseline
// champion with colour-free deltas (metrics, per class, dataset per split), and the promotion.



const ALIGN = ['left', 'right', 'right', 'right'];
function num(value) {
    return value === undefined ? '—' : formatValue(value);
}
function changes(c) {
    return `+${c.added} −${c.removed} ~${c.changed}`;
}
/** "♻️ Reused <job> (identical inputs)": shown above the metrics. */
function reuseLine(report) {
    if (!report?.reused)
        return undefined;
    const { jobName, consoleUrl } = report.reused;
    return `♻️ Reused ${markdown_link(jobName, consoleUrl, 100)} (identical inputs): nothing was trained for this run; its metrics were gated again.`;
}
function baselineSection(report, metrics, classLimit) {
    const baseline = report?.baseline;
    if (!baseline)
        return undefined;
    const branch = code(baseline.branch, 120);
    const parts = [`#### Compared with the champion of ${branch}`, ''];
    const champion = baseline.champion;
    if (!champion) {
        parts.push(`No champion on ${branch} yet: there is nothing to compare with, so no deltas are shown.`);
        return parts.join('\n');
    }
    const commit = champion.commit && /^[0-9a-f]{7,}$/i.test(champion.commit)
        ? ` at \`${champion.commit.slice(0, 7)}\``
        : '';
    parts.push(`Champion: ${markdown_link(champion.jobName, champion.consoleUrl, 100)}${commit}, promoted ${escapeInline(champion.promotedAt, 40)}.`, '');
    const comparison = compareMetrics(metrics, champion.metrics);
    // Metric labels are ours (escaping would break `mAP@0.5`); class names come from the dataset.
    const row = (r, ours = false) => [
        ours ? r.label : escapeInline(r.label, 100),
        num(r.value),
        num(r.baseline),
        r.delta === undefined ? '—' : formatDelta(r.delta),
    ];
    parts.push(table(['Metric', 'This run', 'Champion', 'Δ'], comparison.metrics.map((r) => row(r, true)), [...ALIGN]));
    if (comparison.classes.length > 0) {
        const shown = comparison.classes.slice(0, classLimit);
        parts.push('', '<details><summary>AP@0.5 per class, this run vs champion</summary>', '');
        parts.push(table(['Class', 'This run', 'Champion', 'Δ'], shown.map((r) => row(r)), [...ALIGN]));
        const rest = comparison.classes.length - shown.length;
        if (rest > 0)
            parts.push('', `_…and ${rest} more class${rest === 1 ? '' : 'es'}._`);
        parts.push('', '</details>');
    }
    parts.push('');
    if (baseline.splits) {
        if (baseline.splits.length === 0) {
            parts.push("Dataset: no image or label changed since the champion's snapshot.");
        }
        else {
            parts.push("Dataset since the champion's snapshot (+added −removed ~changed):", '');
            parts.push(table(['Split', 'Images', 'Labels'], baseline.splits.map((s) => [
                escapeInline(s.split, 20),
                changes(s.images),
                changes(s.labels),
            ]), ['left', 'right', 'right']));
        }
    }
    else if (baseline.splitsNote) {
        parts.push(`Dataset: not compared (${escapeInline(baseline.splitsNote, 200)}).`);
    }
    return parts.join('\n').trimEnd();
}
/** One line on what happened to the model: promoted, registered, or why not. */
function promotionLine(report) {
    if (!report)
        return undefined;
    const lines = [];
    const p = report.promotion;
    if (p) {
        if (p.warning)
            lines.push(`⚠️ ${escapeInline(p.warning, 400)}`);
        else if (p.promote && p.branch) {
            lines.push(`🏆 Champion of ${code(p.branch, 120)}${p.uri ? `: ${code(p.uri, 400)}` : ''} (${escapeInline(p.reason, 200)})`);
        }
        else
            lines.push(`Not promoted: ${escapeInline(p.reason, 300)}.`);
    }
    if (report.registration) {
        lines.push(`Registered in the Model Registry: ${code(report.registration.modelPackageArn, 300)}`);
    }
    return lines.length ? lines.join('\n\n') : undefined;
}

;// CONCATENATED MODULE: ./src/report/model-section.ts
// The comment's Model section: where the trained model and ultralytics' plots went (the workflow
// artifact's page), and which plots it holds. Pure. Names come from the job's archives: escaped.

/** `2026-12-09 09:55 UTC`. Pure. */
function utcMinute(date) {
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
/** Plots listed before "and N more". */
const MAX_PLOTS = 30;
function modelSection(model) {
    const lines = ['#### Model', ''];
    const what = model.files.map((f) => code(f, 100)).join(', ') || 'no model files';
    if (model.artifact) {
        const name = escapeInline(model.artifact.name, 100);
        lines.push(`Workflow artifact ${markdown_link(model.artifact.name, model.artifact.url, 100)}: ${what}` +
            `${model.plots.length > 0 ? ` and ${model.plots.length} plot(s) in \`plots/\`` : ''}.` +
            ` A later job takes it with \`actions/download-artifact\` (name: ${name}).`);
    }
    else {
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
        lines.push('', `_The images are S3 presigned links: they expire ${when}; anyone with the link can see the image._`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/report/comment.ts
// The PR comment / job summary body. Pure: typed data in, markdown out, no clock (an unchanged run
// must render byte-identical markdown so the sticky comment is not rewritten).










/** GitHub rejects comment bodies over 65,536 characters; keep a margin for the marker and edits. */
const MAX_COMMENT_BYTES = 65_000;
const SET_METRICS = ['map50', 'map50_95', 'precision', 'recall'];
/** Keys become part of an HTML comment: keep them to characters that cannot close it. */
function normalizeCommentKey(key) {
    const cleaned = (key ?? '')
        .trim()
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .slice(0, 64);
    return cleaned.replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '') || 'default';
}
function commentMarker(key) {
    return `<!-- sagemaker-yolo-action:${normalizeCommentKey(key)} -->`;
}
function runUrl(context) {
    // A terminal run has no workflow run to link to.
    if (context.eventName === 'cli')
        return undefined;
    if (!context.runId || !context.repository || !context.serverUrl)
        return undefined;
    const base = `${context.serverUrl.replace(/\/+$/, '')}/${context.repository}/actions/runs/${context.runId}`;
    const attempt = Number(context.runAttempt);
    return Number.isInteger(attempt) && attempt > 1 ? `${base}/attempts/${attempt}` : base;
}
function isJobFailure(job) {
    return job.status !== 'Completed' || job.timedOut === true;
}
function headline(data) {
    const { job, gate } = data;
    if (job.costCapStop)
        return '⏹️ Training job stopped at the max-cost spend cap';
    if (job.timedOut)
        return '⏳ Stopped waiting for the training job: it may still be running';
    if (job.credentialsExpired) {
        return '🔑 The AWS credentials expired while waiting: the training job keeps running';
    }
    if (job.limitExceeded === 'MaxRuntimeExceeded') {
        return '❌ Training job stopped at its maximum runtime';
    }
    if (job.limitExceeded === 'MaxWaitTimeExceeded') {
        return '❌ Training job ran out of spot wait time';
    }
    if (job.status === 'Failed')
        return '❌ Training job failed';
    if (job.status === 'Stopped' || job.status === 'Stopping')
        return '⏹️ Training job was stopped';
    if (job.status !== 'Completed')
        return `⚠️ Training job ended as ${escapeInline(job.status, 40)}`;
    return gate.passed
        ? '✅ Model passed the quality gate'
        : '❌ Model did not pass the quality gate';
}
function comment_num(value) {
    return isReported(value) ? formatValue(value) : '—';
}
/** The task whose metrics these are: metrics.json says; else the gate's (detect by default). */
function taskOf(data) {
    return data.metrics.task ?? data.gate.task ?? 'detect';
}
function metricRow(data, label, value, metric) {
    // Thresholds show on the row the gate read: the primary block (or top-1 for classify).
    const check = metric ? data.gate.checks.find((c) => c.metric === metric) : undefined;
    const shown = isReported(value)
        ? formatValue(value, check?.threshold)
        : check
            ? check.notApplicable
                ? 'does not apply'
                : 'not reported'
            : '—';
    // max-regression sits beside the absolute threshold it adds to.
    const regression = metric ? data.gate.regressions?.find((r) => r.metric === metric) : undefined;
    const limits = [
        ...(check ? [`≥ ${formatThreshold(check.threshold)}`] : []),
        ...(regression
            ? [
                `≥ ${formatValue(regression.floor)} (champion ${formatValue(regression.baseline)} − max-regression ${formatThreshold(regression.maxRegression)})`,
            ]
            : []),
    ];
    const threshold = limits.length > 0 ? limits.join(' and ') : '—';
    const verdict = check || regression
        ? (check?.passed ?? true) && (regression?.passed ?? true)
            ? '✓'
            : '✗'
        : '';
    return [label, shown, threshold, verdict];
}
/**
 * One row per metric: classify's top-1/top-5; otherwise each block the task reports, primary
 * (gated) first. A single-block task (detect, obb) keeps the plain labels.
 */
function metricTable(data) {
    const { metrics } = data;
    const task = taskOf(data);
    const kinds = src_task/* METRIC_KINDS */.Rc[task];
    const rows = [];
    if (task === 'classify') {
        rows.push(metricRow(data, METRIC_LABELS.top1, metrics.top1, 'top1'));
        rows.push(metricRow(data, 'Top-5 accuracy', metrics.top5));
        // a box threshold on a classify job (e.g. `report` without --task) still shows why it failed
        for (const check of data.gate.checks.filter((c) => c.metric !== 'top1')) {
            rows.push(metricRow(data, METRIC_LABELS[check.metric], undefined, check.metric));
        }
    }
    kinds.forEach((kind, i) => {
        for (const metric of SET_METRICS) {
            const label = kinds.length > 1
                ? `${METRIC_LABELS[metric]} (${src_task/* KIND_LABELS */.bu[kind]})`
                : METRIC_LABELS[metric];
            const value = metrics.blocks?.[kind]?.[metric] ?? (i === 0 ? metrics[metric] : undefined);
            rows.push(metricRow(data, label, value, i === 0 ? metric : undefined));
        }
    });
    return table(['Metric', 'Value', 'Threshold', ''], rows, ['left', 'right', 'right', 'center']);
}
/** `task segment, gated on masks (M)`: what was trained and what the thresholds read. */
function taskFact(task) {
    const kind = (0,src_task/* primaryKind */.jI)(task);
    return `task ${task}, gated on ${kind ? `${src_task/* KIND_LABELS */.bu[kind]} ${src_task/* KIND_SUFFIXES */.Z8[kind]}` : 'top-1 accuracy'}`;
}
function metricsSource(metrics, task) {
    if (metrics.source === 'none')
        return '_No metrics were reported by the job._';
    const facts = [];
    if (metrics.source === 'metrics.json') {
        facts.push(`from metrics.json${metrics.split ? ` (${escapeInline(metrics.split, 10)} split)` : ''}`);
    }
    else {
        facts.push('from the last values SageMaker recorded in the training log (no metrics.json)');
    }
    facts.push(taskFact(task));
    if (metrics.model)
        facts.push(escapeInline(metrics.model, 80));
    if (metrics.imgsz !== undefined)
        facts.push(`imgsz ${metrics.imgsz}`);
    if (metrics.ultralyticsVersion) {
        facts.push(`ultralytics ${escapeInline(metrics.ultralyticsVersion, 40)}`);
    }
    const epochs = metrics.epochsCompleted ?? (metrics.epochs.length || undefined);
    if (epochs !== undefined) {
        facts.push(`${epochs} epoch${epochs === 1 ? '' : 's'}` +
            (metrics.bestEpoch !== undefined ? ` (best ${metrics.bestEpoch})` : ''));
    }
    return `<sub>Metrics ${facts.join(' · ')}</sub>`;
}
const SPARK = '▁▂▃▄▅▆▇█';
/** mAP@0.5 per epoch as a one-line sparkline (at most 60 points), from results.csv. */
function sparkline(values, width = 60) {
    const finite = values.filter((v) => Number.isFinite(v));
    if (finite.length < 2)
        return '';
    const step = Math.max(1, Math.ceil(values.length / width));
    const points = [];
    for (let i = 0; i < values.length; i += step) {
        const window = values.slice(i, i + step).filter((v) => Number.isFinite(v));
        points.push(window.length ? window.reduce((a, b) => Math.max(a, b)) : Number.NaN);
    }
    const lo = finite.reduce((a, b) => Math.min(a, b));
    const hi = finite.reduce((a, b) => Math.max(a, b));
    return points
        .map((v) => {
        if (!Number.isFinite(v))
            return ' ';
        // A flat series has no range to scale to: place it by its value on the metrics' 0..1 scale.
        const level = hi === lo ? Math.min(1, Math.max(0, v)) : (v - lo) / (hi - lo);
        const idx = Math.round(level * (SPARK.length - 1));
        return SPARK[idx];
    })
        .join('');
}
function epochLine(metrics, task) {
    const column = progressColumn(task);
    const series = metrics.epochs.map((row) => row.values[column] ?? Number.NaN);
    const line = sparkline(series);
    if (!line)
        return undefined;
    const finite = series.filter((v) => Number.isFinite(v));
    const last = finite[finite.length - 1];
    const kind = (0,src_task/* primaryKind */.jI)(task);
    const label = kind === undefined
        ? METRIC_LABELS.top1
        : kind === 'box'
            ? 'mAP@0.5'
            : `mAP@0.5 (${src_task/* KIND_LABELS */.bu[kind]})`;
    return `${label} by epoch: ${line} (${formatValue(finite.reduce((a, b) => Math.min(a, b)))} → ${formatValue(last)})`;
}
/** Worst mAP@0.5 first (the rows worth reading when the table is cut); unreported last. */
function sortClasses(classes) {
    const key = (c) => (Number.isFinite(c.ap50) ? c.ap50 : Number.POSITIVE_INFINITY);
    return [...classes].sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name));
}
function perClassSection(metrics, limit, task) {
    const all = metrics.perClass;
    // per_class is the primary block's; say which when the task reports more than one
    const kind = (0,src_task/* primaryKind */.jI)(task);
    const of = kind && src_task/* METRIC_KINDS */.Rc[task].length > 1 ? `, ${src_task/* KIND_LABELS */.bu[kind]}` : '';
    if (all.length === 0)
        return undefined;
    const shown = sortClasses(all).slice(0, limit);
    const rows = shown.map((c) => [
        escapeInline(c.name, 100),
        String(c.instances),
        comment_num(c.ap50),
        comment_num(c.ap50_95),
        comment_num(c.precision),
        comment_num(c.recall),
    ]);
    const rest = all.length - shown.length;
    const parts = [
        `<details><summary>Per-class results (${all.length} class${all.length === 1 ? '' : 'es'}${of}, worst mAP@0.5 first)</summary>`,
        '',
    ];
    if (rows.length > 0) {
        parts.push(table(['Class', 'Instances', 'mAP@0.5', 'mAP@0.5:0.95', 'Precision', 'Recall'], rows, [
            'left',
            'right',
            'right',
            'right',
            'right',
            'right',
        ]), '');
    }
    if (rest > 0) {
        parts.push(`_…and ${rest} more class${rest === 1 ? '' : 'es'} (not shown to keep this comment within GitHub's size limit)._`, '');
    }
    parts.push('</details>');
    return parts.join('\n');
}
function formatHyperparameters(hp) {
    if (!hp)
        return undefined;
    const entries = Object.entries(hp).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0)
        return undefined;
    return escapeInline(entries.map(([k, v]) => `${k}=${String(v)}`).join(', '), 600);
}
function jobSection(data) {
    const { job } = data;
    const rows = [];
    rows.push(['Job', markdown_link(job.jobName, job.consoleUrl, 100)]);
    const status = job.secondaryStatus && job.secondaryStatus !== job.status
        ? `${job.status} (${job.secondaryStatus})`
        : job.status;
    rows.push(['Status', escapeInline(status, 100)]);
    rows.push(['Instance', `${escapeInline(job.instanceType, 60)} × ${job.instanceCount}`]);
    const savings = spotSavings(job);
    rows.push([
        'Managed spot',
        job.spot ? (savings !== undefined ? `yes, saved ${Math.round(savings * 100)}%` : 'yes') : 'no',
    ]);
    rows.push(['Training time', (0,format/* formatDuration */.a)(job.trainingSeconds)]);
    rows.push(['Billable time', (0,format/* formatDuration */.a)(job.billableSeconds)]);
    const cost = costCell(job);
    if (cost)
        rows.push(['Cost', cost]);
    if (data.imageUri)
        rows.push(['Image', code(data.imageUri)]);
    if (job.modelArtifactsUri && job.status === 'Completed') {
        rows.push(['Model', code(job.modelArtifactsUri)]);
    }
    const hp = formatHyperparameters(data.hyperparameters);
    if (hp)
        rows.push(['Hyperparameters', hp]);
    return ['#### Training job', '', table(['', ''], rows)].join('\n');
}
/** The cost, the price it used and where that price came from; undefined for local runs. */
function costCell(job) {
    const report = job.cost;
    if (!report)
        return undefined;
    const text = formatCost(report);
    const price = report.known ? report.cost.price : report.price;
    // One escape for the whole cell: `$` pairs could otherwise render as GitHub math.
    if (!price)
        return escapeInline(`${text}${report.known ? '' : ' (set instance-price to see the cost)'}`, 400);
    const warm = job.warmPoolRetainedSeconds !== undefined && job.warmPoolRetainedSeconds > 0
        ? `, warm pool ${(0,format/* formatDuration */.a)(job.warmPoolRetainedSeconds)} included`
        : '';
    return escapeInline(`${text} · ${formatHourly(price)} × ${job.instanceCount}${warm}, price from ${describePriceOrigin(price)}`, 400);
}
/** A short hex fingerprint in a code span; anything else escaped (it is not ours then). */
function shortFingerprint(fp) {
    return /^[0-9a-f]{12,}$/i.test(fp) ? `\`${fp.slice(0, 12)}\`` : escapeInline(fp, 40);
}
/** Images ultralytics will ignore: a count per split and the first files with their reasons. */
function droppedSection(dropped) {
    const lines = [
        `⚠️ ultralytics will drop ${dropped.total} of ${dropped.images} images (max-dropped-images ${escapeInline(dropped.limit, 20)}):`,
        '',
    ];
    for (const s of dropped.splits) {
        const examples = s.examples
            .map((e) => `${escapeInline(e.file, 120)}${e.line ? `:${e.line}` : ''}: ${escapeInline(e.reason, 160)}`)
            .join('; ');
        const more = s.dropped > s.examples.length ? ` …and ${s.dropped - s.examples.length} more` : '';
        lines.push(`- ${escapeInline(s.split, 10)}: ${s.dropped} of ${s.images} — ${examples}${more}`);
    }
    return lines.join('\n');
}
function datasetSection(dataset, diffLimit) {
    const rows = [['Data', code(dataset.uri)]];
    if (dataset.snapshot)
        rows.push(['Snapshot', shortFingerprint(dataset.snapshot)]);
    const diff = dataset.diff;
    if (diff) {
        rows.push([
            'Changes',
            `${diff.added} added, ${diff.removed} removed, ${diff.changed} changed files against base snapshot ${shortFingerprint(diff.baseSnapshot)}`,
        ]);
    }
    const parts = ['#### Dataset', '', table(['', ''], rows)];
    if (dataset.dropped)
        parts.push('', droppedSection(dataset.dropped));
    if (diff && diff.instancesPerClass.length > 0) {
        const delta = (c) => c.after - c.before;
        const sorted = [...diff.instancesPerClass].sort((a, b) => Math.abs(delta(b)) - Math.abs(delta(a)) || a.name.localeCompare(b.name));
        const shown = sorted.slice(0, diffLimit);
        const rows2 = shown.map((c) => {
            const d = delta(c);
            return [
                escapeInline(c.name, 100),
                String(c.before),
                String(c.after),
                d > 0 ? `+${d}` : String(d),
            ];
        });
        parts.push('', '<details><summary>Instances per class, base → this run</summary>', '');
        if (rows2.length > 0) {
            parts.push(table(['Class', 'Before', 'After', 'Δ'], rows2, ['left', 'right', 'right', 'right']), '');
        }
        const rest = sorted.length - shown.length;
        if (rest > 0) {
            const unchanged = sorted.slice(diffLimit).filter((c) => delta(c) === 0).length;
            parts.push(`_…and ${rest} more class${rest === 1 ? '' : 'es'} (${unchanged} unchanged)._`, '');
        }
        parts.push('</details>');
    }
    return parts.join('\n');
}
function whatToCheck(job) {
    const items = [];
    if (job.credentialsExpired) {
        items.push(`When the job has ended, gate it and update this comment with \`sagemaker-yolo report ${escapeInline(job.jobName, 63)} --pr <number>\`.`, 'Set `role-to-assume` so the action renews its own credentials while it waits, or start long jobs with `wait: false`.');
    }
    else if (job.costCapStop) {
        items.push(`This action stopped the job when its estimated cost reached ${formatUsd(job.costCapStop.estimatedUsd)} (max-cost ${formatUsd(job.costCapStop.maxCostUsd)}). Raise \`max-cost\`, lower \`epochs\` or \`max-runtime\`, or pick a cheaper \`instance-type\`.`, 'Checkpoints were saved: a re-run resumes from the last one.');
    }
    else if (job.timedOut) {
        items.push('The action stopped waiting, not the job: check its status in the console before starting another run.', 'Raise the wait timeout or run with `wait: false` and report from a later workflow.');
    }
    else if (job.limitExceeded === 'MaxRuntimeExceeded') {
        items.push('Raise `max-runtime`, lower `epochs`, or use a faster `instance-type`.', 'Checkpoints were saved: a re-run resumes from the last one.');
    }
    else if (job.limitExceeded === 'MaxWaitTimeExceeded') {
        items.push('Spot capacity was not available for long enough: raise `max-wait`, try another `instance-type` or region, or set `spot: false`.');
    }
    else if (job.status === 'Stopped' || job.status === 'Stopping') {
        items.push('The job was stopped (workflow cancelled, or StopTrainingJob from the console or API).');
    }
    else {
        items.push(`The failure reason above, then the job log: CloudWatch group \`/aws/sagemaker/TrainingJobs\`, streams starting with ${code(`${job.jobName}/`, 80)}.`, 'Out-of-memory errors: lower `batch-size` or `imgsz`, or use a larger `instance-type`.', 'Dataset errors: run `sagemaker-yolo validate` on the dataset locally.');
    }
    return items.map((i) => `- ${i}`);
}
function render(data, limits) {
    const { job, metrics } = data;
    const failure = isJobFailure(job);
    const parts = [commentMarker(data.key), `### ${headline(data)}`, ''];
    const reused = reuseLine(data.lifecycle);
    if (reused)
        parts.push(reused, '');
    if (failure) {
        parts.push(`Status: **${escapeInline(job.status, 40)}**`);
        if (job.failureReason) {
            parts.push('', escapeBlockquote(job.failureReason, limits.reasonChars));
        }
        parts.push('', '**What to check**', '');
        for (const line of whatToCheck(job))
            parts.push(line);
        parts.push('');
    }
    if (!failure || metrics.source !== 'none') {
        const task = taskOf(data);
        parts.push(metricTable(data), '', metricsSource(metrics, task), '');
        const epochs = epochLine(metrics, task);
        if (epochs)
            parts.push(epochs, '');
        const perClass = perClassSection(metrics, limits.classes, task);
        if (perClass)
            parts.push(perClass, '');
        const baseline = baselineSection(data.lifecycle, metrics, limits.classes);
        if (baseline)
            parts.push(baseline, '');
        const promotion = promotionLine(data.lifecycle);
        if (promotion)
            parts.push(promotion, '');
        const training = trainingSection(metrics, job, data.hyperparameters, {
            tableRows: limits.epochRows,
        });
        if (training)
            parts.push(training, '');
    }
    if (data.model)
        parts.push(modelSection(data.model), '');
    parts.push(jobSection(data), '', datasetSection(data.dataset, limits.diffClasses), '');
    const footer = [];
    const url = runUrl(data.context);
    if (url)
        footer.push(markdown_link('Workflow run', url));
    if (data.context.eventName)
        footer.push(escapeInline(data.context.eventName, 40));
    if (/^[0-9a-f]{7,}$/i.test(data.context.sha))
        footer.push(`\`${data.context.sha.slice(0, 7)}\``);
    if (footer.length > 0)
        parts.push(`<sub>${footer.join(' · ')}</sub>`);
    return `${parts.join('\n').trimEnd()}\n`;
}
/**
 * Renders the report. When it would exceed the size budget, the per-class table, the dataset diff
 * table and the failure text shrink (each with a note), then as a last resort the tail is cut.
 * The marker is the first line and is never cut.
 */
function renderReport(data, options = {}) {
    const maxBytes = options.maxBytes ?? MAX_COMMENT_BYTES;
    const limits = {
        classes: options.maxClasses ?? 100,
        diffClasses: options.maxDiffClasses ?? 50,
        reasonChars: 4000,
        epochRows: 60,
    };
    let body = render(data, limits);
    // Halve the biggest variable parts in turn; each step strictly shrinks, so this ends.
    while (markdownSize(body) > maxBytes) {
        if (limits.classes > 0)
            limits.classes = Math.floor(limits.classes / 2);
        else if (limits.diffClasses > 0)
            limits.diffClasses = Math.floor(limits.diffClasses / 2);
        else if (limits.epochRows > 0)
            limits.epochRows = Math.floor(limits.epochRows / 2);
        else if (limits.reasonChars > 200)
            limits.reasonChars = Math.floor(limits.reasonChars / 2);
        else
            break;
        body = render(data, limits);
    }
    return truncateMarkdown(body, maxBytes, "_…report truncated to fit GitHub's comment size limit._\n");
}

;// CONCATENATED MODULE: ./src/report/github.ts
// Sticky PR comment (house rule 8): one comment per marker, found by marker AND author, edited in
// place, left alone when the body is unchanged. The only GitHub I/O in the report stage.
//
// Author: with a user token (PAT) GET /user names the identity. Installation tokens (GITHUB_TOKEN,
// GitHub App tokens) get 403 there; their comments are authored by a Bot account, normally
// `github-actions[bot]`. So without a confirmed login we match Bot-type authors, trying
// `github-actions[bot]` first; a human quoting the marker is never touched. If editing a comment
// whose author was only inferred is refused, a new comment is created instead.
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
const PER_PAGE = 100;
/** 300 pages = 30,000 comments: a bound on a runaway Link chain, far above real PRs. */
const MAX_PAGES = 300;
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
function isPermissionError(error) {
    const status = httpStatus(error);
    return status === 403 || status === 404;
}
function describe(error) {
    const e = error;
    return e?.status ? `HTTP ${e.status}: ${e.message ?? ''}`.trim() : String(e?.message ?? error);
}
/** Compares bodies as GitHub stores them (it may turn \n into \r\n and trim the end). */
function sameBody(a, b) {
    const norm = (s) => s.replace(/\r\n/g, '\n').trimEnd();
    return norm(a ?? '') === norm(b);
}
function hasNextPage(link) {
    return typeof link === 'string' && /<[^>]*>\s*;\s*rel="?next"?/.test(link);
}
async function listIssueComments(octokit, owner, repo, issueNumber) {
    const all = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner,
            repo,
            issue_number: issueNumber,
            per_page: PER_PAGE,
            page,
        });
        const items = Array.isArray(res.data) ? res.data : [];
        for (const item of items)
            all.push(item);
        const link = res.headers.link;
        // Follow the Link header when present; without one, a short page is the last page.
        if (link !== undefined ? !hasNextPage(link) : items.length < PER_PAGE)
            break;
    }
    return all;
}
/** The token's login when it can be asked for (user tokens); undefined for installation tokens. */
async function tokenLogin(octokit, log) {
    try {
        const res = await octokit.request('GET /user');
        const login = res.data?.login;
        return typeof login === 'string' && login ? login : undefined;
    }
    catch (error) {
        log.debug?.(`GET /user not allowed for this token (${describe(error)}); matching bot authors`);
        return undefined;
    }
}
/** Comments carrying the marker by the token's identity, most likely first. */
function findOwnComments(comments, marker, login) {
    const marked = comments.filter((c) => (c.body ?? '').includes(marker));
    if (login)
        return marked.filter((c) => c.user?.login === login);
    const bots = marked.filter((c) => c.user?.type === 'Bot');
    return [
        ...bots.filter((c) => c.user?.login === ACTIONS_BOT_LOGIN),
        ...bots.filter((c) => c.user?.login !== ACTIONS_BOT_LOGIN),
    ];
}
async function upsertStickyComment(octokit, options) {
    const { owner, repo, issueNumber, marker, body, log } = options;
    if (!body.includes(marker))
        throw new Error('upsertStickyComment: the body must contain the marker');
    const where = `${owner}/${repo}#${issueNumber}`;
    const skipped = (error) => {
        log.warning(`Could not comment on ${where} (${describe(error)}). The token is read-only here ` +
            '(a pull request from a fork, or missing `pull-requests: write` / `issues: write` permission); ' +
            'the report is in the job summary.');
        return { action: 'skipped' };
    };
    try {
        const confirmed = options.authorLogin ?? (await tokenLogin(octokit, log));
        const comments = await listIssueComments(octokit, owner, repo, issueNumber);
        const candidates = findOwnComments(comments, marker, confirmed);
        for (const existing of candidates) {
            if (sameBody(existing.body, body)) {
                log.info(`Comment on ${where} is up to date: ${existing.html_url ?? existing.id}`);
                return { action: 'unchanged', ...(existing.html_url ? { url: existing.html_url } : {}) };
            }
            try {
                const res = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
                    owner,
                    repo,
                    comment_id: existing.id,
                    body,
                });
                const url = res.data.html_url ?? existing.html_url;
                log.info(`Updated comment on ${where}: ${url ?? existing.id}`);
                return { action: 'updated', ...(url ? { url } : {}) };
            }
            catch (error) {
                // Only an inferred author can be wrong; a confirmed one failing is a real permission problem.
                if (confirmed || !isPermissionError(error))
                    throw error;
                log.debug?.(`Comment ${existing.id} is not editable with this token (${describe(error)})`);
            }
        }
        const res = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner,
            repo,
            issue_number: issueNumber,
            body,
        });
        const url = res.data.html_url;
        log.info(`Created comment on ${where}: ${url ?? ''}`.trim());
        return { action: 'created', ...(url ? { url } : {}) };
    }
    catch (error) {
        if (isPermissionError(error))
            return skipped(error);
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/report/price-list.ts
// The live price: AWS Price List API (GetProducts, service AmazonSageMaker). SageMaker training
// products are named `<instance type>-Training` in the `instanceType` attribute and carry the
// region in `regionCode`; the on-demand USD price per hour sits under terms.OnDemand.*.
// priceDimensions.* (AWS's sample aws-samples/amazon-sagemaker-training-jobs-benchmarks reads it
// the same way). The API answers from us-east-1; the role needs pricing:GetProducts.


/**
 * The one on-demand hourly USD price in a GetProducts answer. Pure. Several different prices, no
 * price, or a price that is not a positive number make it unknown: a cap needs one right number.
 */
function priceFromPriceList(priceList, instanceType, region) {
    const prices = new Set();
    for (const item of priceList) {
        let product;
        try {
            product = JSON.parse(item);
        }
        catch {
            continue;
        }
        const attributes = product.product?.attributes ?? {};
        if (attributes.instanceType !== `${instanceType}-Training`)
            continue;
        if (attributes.regionCode !== undefined && attributes.regionCode !== region)
            continue;
        for (const term of Object.values(product.terms?.OnDemand ?? {})) {
            for (const dimension of Object.values(term.priceDimensions ?? {})) {
                if (!/^hrs?$/i.test(dimension.unit ?? ''))
                    continue;
                const usd = Number(dimension.pricePerUnit?.USD);
                if (Number.isFinite(usd) && usd > 0)
                    prices.add(usd);
            }
        }
    }
    if (prices.size === 1) {
        const [usdPerHour] = [...prices];
        return {
            known: true,
            price: { instanceType, region, usdPerHour, origin: 'price-list-api' },
        };
    }
    return {
        known: false,
        reason: prices.size === 0
            ? `the Price List API has no on-demand training price for ${instanceType} in ${region}`
            : `the Price List API lists ${prices.size} different training prices for ${instanceType} in ${region}`,
    };
}
/** GetProducts for one instance type and region (first page is enough: the filter is exact). */
function priceListLookup(client) {
    return async (instanceType, region) => {
        try {
            const answer = await client.send(new client_pricing_dist_cjs/* GetProductsCommand */.SS({
                ServiceCode: 'AmazonSageMaker',
                Filters: [
                    { Type: 'TERM_MATCH', Field: 'instanceType', Value: `${instanceType}-Training` },
                    { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
                ],
                MaxResults: 20,
            }));
            return priceFromPriceList(answer.PriceList ?? [], instanceType, region);
        }
        catch (error) {
            const name = (0,errors/* errorName */.I)(error);
            return {
                known: false,
                reason: /AccessDenied/i.test(name)
                    ? 'the role may not call the Price List API (pricing:GetProducts)'
                    : `the Price List API did not answer (${name || (0,errors/* errorMessage */.g)(error)})`,
            };
        }
    };
}

;// CONCATENATED MODULE: ./src/report/price-source.ts
// Where a run's instance price comes from, asked at most once per run: the instance-price input,
// else the AWS Price List API (when a look-up is wired and the role may call it), else the table.


function createPriceSource(options) {
    let cached;
    const ask = async () => {
        const { instanceType, region, override, live } = options;
        if (override !== undefined || !live)
            return resolvePrice({ instanceType, region, override });
        let answer;
        try {
            answer = await live(instanceType, region);
        }
        catch (error) {
            answer = {
                known: false,
                reason: `the Price List API did not answer (${(0,errors/* errorMessage */.g)(error)})`,
            };
        }
        if (!answer.known)
            options.note?.(`Instance price: ${answer.reason}; using the price table.`);
        return resolvePrice({ instanceType, region, live: answer });
    };
    return () => (cached ??= ask());
}
/** A described job with its cost attached (for `report` and `status`, which start no job). */
async function withJobCost(outcome, options) {
    if (outcome.instanceType === 'local')
        return outcome;
    const price = await createPriceSource({
        ...options,
        instanceType: outcome.instanceType,
        region: outcome.region,
    })();
    return withCost(outcome, price);
}

;// CONCATENATED MODULE: ./src/report/render.ts

/** A failed or stopped job has no gate: the comment shows the failure variant instead. */
const render_NO_GATE = { passed: false, checks: [], message: '' };
function renderPipelineReport(input) {
    return renderReport({
        gate: input.gate ?? render_NO_GATE,
        metrics: input.metrics,
        job: input.outcome,
        dataset: input.dataset,
        imageUri: input.image.imageUri,
        context: input.config.context,
        hyperparameters: input.config.hyperparameters,
        ...(input.lifecycle ? { lifecycle: input.lifecycle } : {}),
        ...(input.model ? { model: modelReport(input.model) } : {}),
    });
}
function modelReport(model) {
    return {
        files: model.files.filter((f) => !f.startsWith('plots/')),
        plots: model.plots,
        ...(model.artifact ? { artifact: { name: model.artifact.name, url: model.artifact.url } } : {}),
        ...(model.artifactSkipped ? { artifactSkipped: model.artifactSkipped } : {}),
        ...(model.images
            ? { images: model.images.images, imagesExpireAt: model.images.expiresAt }
            : {}),
    };
}

;// CONCATENATED MODULE: ./src/report/terminal.ts
// The report for a terminal: the same facts as the PR comment (verdict, metrics against their
// thresholds, how training went with text charts, the job and its cost) as plain aligned text.
// Pure. Job and class names come from AWS or the dataset: control characters are removed so they
// cannot move the cursor or recolour the terminal.





const GATE_METRICS = ['map50', 'map50_95', 'precision', 'recall'];
function plain(text, max = 200) {
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ').trim();
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
function verdict(input) {
    const { job, gate } = input;
    if (job.costCapStop)
        return 'STOPPED at the max-cost spend cap';
    if (job.timedOut)
        return `STILL RUNNING? stopped waiting (status ${plain(job.status, 40)})`;
    if (job.status !== 'Completed')
        return `JOB ${plain(job.status, 40).toUpperCase()}`;
    if (!gate)
        return 'NOT GATED';
    return gate.passed ? 'PASSED the quality gate' : 'FAILED the quality gate';
}
/** Rows padded to their column widths. */
function columns(rows) {
    const widths = rows[0]?.map((_, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0)) ?? [];
    return rows.map((r) => r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd());
}
function renderTerminalReport(input) {
    const { job, metrics, gate } = input;
    const lines = [`== ${verdict(input)}: ${plain(job.jobName, 80)}`, ''];
    if (metrics.source !== 'none') {
        const rows = [['Metric', 'Value', 'Threshold', '']];
        for (const metric of GATE_METRICS) {
            const check = gate?.checks.find((c) => c.metric === metric);
            const value = metrics[metric];
            rows.push([
                METRIC_LABELS[metric],
                isReported(value) ? formatValue(value, check?.threshold) : '—',
                check ? `>= ${formatThreshold(check.threshold)}` : '—',
                check ? (check.passed ? 'ok' : 'FAIL') : '',
            ]);
        }
        lines.push(columns(rows).join('\n'), '');
    }
    const facts = trainingFactLines(trainingFacts(metrics, job, input.hyperparameters));
    // One label column for both charts, so their bars line up.
    const labelWidth = [...MAP_CHART.series, ...LOSS_CHART.series].reduce((w, s) => Math.max(w, s.name.length), 0);
    const charts = [
        ...textChart(metrics.epochs, MAP_CHART, undefined, labelWidth),
        ...textChart(metrics.epochs, LOSS_CHART, undefined, labelWidth),
    ];
    if (facts.length > 0 || charts.length > 0) {
        lines.push('Training');
        for (const f of facts)
            lines.push(`  ${f}`);
        if (charts.length > 0)
            lines.push('');
        for (const c of charts)
            lines.push(`  ${c}`);
        lines.push('');
    }
    const status = job.secondaryStatus && job.secondaryStatus !== job.status
        ? `${job.status} (${job.secondaryStatus})`
        : job.status;
    const jobRows = [
        ['Job', plain(job.jobName, 80)],
        ['Status', plain(status, 80)],
        [
            'Instance',
            `${plain(job.instanceType, 40)} × ${job.instanceCount}${job.spot ? ', managed spot' : ''}`,
        ],
    ];
    const times = [
        job.trainingSeconds !== undefined ? `training ${(0,format/* formatDuration */.a)(job.trainingSeconds)}` : '',
        job.billableSeconds !== undefined ? `billable ${(0,format/* formatDuration */.a)(job.billableSeconds)}` : '',
    ].filter(Boolean);
    if (times.length > 0)
        jobRows.push(['Time', times.join(', ')]);
    if (job.cost) {
        const price = job.cost.known ? job.cost.cost.price : job.cost.price;
        jobRows.push([
            'Cost',
            price
                ? `${formatCost(job.cost)} at ${formatHourly(price)} from ${describePriceOrigin(price)}`
                : formatCost(job.cost),
        ]);
    }
    if (job.failureReason)
        jobRows.push(['Reason', plain(job.failureReason, 300)]);
    lines.push(columns(jobRows).join('\n'));
    return `${lines.join('\n').trimEnd()}\n`;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/heap.ts + 2 modules
var heap = __webpack_require__(4349);
// EXTERNAL MODULE: ./src/dataset/branches.ts
var branches = __webpack_require__(3494);
// EXTERNAL MODULE: ./src/dataset/report.ts
var dataset_report = __webpack_require__(2080);
;// CONCATENATED MODULE: ./src/dataset/diff.ts

function diffSnapshots(base, head) {
    let added = 0;
    let removed = 0;
    let changed = 0;
    const before = base.document.files;
    const after = head.files;
    for (let i = 0; i < after.length; i++) {
        const rel = after.rel(i);
        const old = Object.hasOwn(before, rel) ? before[rel] : undefined;
        if (!old)
            added++;
        else if (old.sha256 !== after.sha256(i) || old.size !== after.size(i))
            changed++;
    }
    for (const rel of Object.keys(before))
        if (after.indexOf(rel) < 0)
            removed++;
    // Per-class counts need both sides' stats; without them the comparison would be made up.
    const instances = [];
    if (base.stats && head.stats) {
        const b = (0,dataset_report/* instancesPerClass */.e7)(base.stats);
        const a = (0,dataset_report/* instancesPerClass */.e7)(head.stats);
        const names = [...a.keys(), ...[...b.keys()].filter((n) => !a.has(n))];
        for (const name of names)
            instances.push({ name, before: b.get(name) ?? 0, after: a.get(name) ?? 0 });
    }
    return { baseSnapshot: base.fingerprint, added, removed, changed, instancesPerClass: instances };
}
/** One line for the log: "vs base 1a2b3c4d: +3 -1 ~2 files; room 410 -> 415". */
function describeDiff(diff) {
    const classes = diff.instancesPerClass
        .filter((c) => c.before !== c.after)
        .map((c) => `${c.name} ${c.before} -> ${c.after}`);
    return `vs base ${diff.baseSnapshot.slice(0, 12)}: +${diff.added} -${diff.removed} ~${diff.changed} files${classes.length ? `; ${classes.join(', ')}` : ''}`;
}

// EXTERNAL MODULE: ./src/dataset/progress.ts
var progress = __webpack_require__(2905);
// EXTERNAL MODULE: ./src/dataset/sync-cache.ts
var sync_cache = __webpack_require__(8882);
// EXTERNAL MODULE: ./src/dataset/sync-shortcuts.ts + 1 modules
var sync_shortcuts = __webpack_require__(4372);
// EXTERNAL MODULE: ./src/dataset/sync.ts
var sync = __webpack_require__(8017);
// EXTERNAL MODULE: ./src/dataset/validate.ts + 2 modules
var validate = __webpack_require__(1841);
// EXTERNAL MODULE: ./src/image/build.ts + 3 modules
var build = __webpack_require__(9022);
// EXTERNAL MODULE: ./src/dataset/images.ts + 26 modules
var dataset_images = __webpack_require__(1517);
;// CONCATENATED MODULE: ./src/dataset/split-diff.ts
// Images and labels added, removed and changed per split between two snapshots (pure). Snapshots
// keep paths and hashes only, so the split is read from the path: the first folder named like a
// split (images/train/a.jpg, train/images/a.jpg, train/cat/a.jpg for classify); anything else is
// `other`. Files that are neither images nor .txt labels (the yaml, notes) are not counted.

const SPLIT_NAMES = {
    train: 'train',
    val: 'val',
    valid: 'val',
    validation: 'val',
    test: 'test',
};
const SPLIT_ORDER = ['train', 'val', 'test', 'other'];
function splitOfPath(rel) {
    for (const part of rel.split('/').slice(0, -1)) {
        const split = SPLIT_NAMES[part.toLowerCase()];
        if (split)
            return split;
    }
    return 'other';
}
function kindOf(rel) {
    if ((0,dataset_images/* isImagePath */.RW)(rel))
        return 'images';
    return rel.toLowerCase().endsWith('.txt') ? 'labels' : undefined;
}
const none = () => ({ added: 0, removed: 0, changed: 0 });
/** Splits with at least one change, in train/val/test/other order. */
function diffSplits(base, head) {
    const bySplit = new Map();
    const count = (rel, change) => {
        const kind = kindOf(rel);
        if (!kind)
            return;
        const split = splitOfPath(rel);
        let entry = bySplit.get(split);
        if (!entry)
            bySplit.set(split, (entry = { split, images: none(), labels: none() }));
        entry[kind][change]++;
    };
    for (const [rel, file] of Object.entries(head.files)) {
        const old = Object.hasOwn(base.files, rel) ? base.files[rel] : undefined;
        if (!old)
            count(rel, 'added');
        else if (old.sha256 !== file.sha256 || old.size !== file.size)
            count(rel, 'changed');
    }
    for (const rel of Object.keys(base.files))
        if (!Object.hasOwn(head.files, rel))
            count(rel, 'removed');
    return [...bySplit.values()].sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split));
}

// EXTERNAL MODULE: ./src/dataset/keys.ts
var dataset_keys = __webpack_require__(5166);
;// CONCATENATED MODULE: ./src/model/keys.ts
// Where the model's life cycle lives in S3 (under `<prefix>/`): a champion pointer and its history
// per branch, one record per run key, and the metrics file a Model Registry entry points at. Pure.

/**
 * A branch name as one key segment. Branch names are user-controlled and may hold `/`, `%` or
 * unicode: percent-encoding keeps every branch in its own folder (`feature/x` never nests under
 * `feature`), and a leading dot is encoded too so no segment reads as `.` or `..`.
 */
function branchKeySegment(branch) {
    return encodeURIComponent((0,dataset_keys/* normalizeBranch */.yU)(branch)).replace(/^\./, '%2E');
}
function modelKeys(prefix) {
    const base = (0,dataset_keys/* checkPrefix */.by)(prefix);
    return {
        champion: (b) => `${base}/models/${branchKeySegment(b)}/champion.json`,
        history: (b, at, job) => `${base}/models/${branchKeySegment(b)}/history/${at.replace(/[:.]/g, '-')}-${job}.json`,
        run: (key) => {
            if (!/^[0-9a-f]{64}$/.test(key))
                throw new Error(`run key '${key}' is not a sha256`);
            return `${base}/runs/${key}.json`;
        },
        registryMetrics: (job) => `${base}/models/registry/${job}/metrics.json`,
    };
}

;// CONCATENATED MODULE: ./src/model/registry.ts
// SageMaker Model Registry: a model that passes the gate becomes a version in a model package
// group, with its metrics attached as ModelMetrics (a JSON in S3). The request is built purely;
// registerModel does the three calls (describe or create the group, then create the package).





/** The CreateModelPackage request (pure). */
function modelPackageRequest(input) {
    return {
        ModelPackageGroupName: input.group,
        ModelPackageDescription: input.description.slice(0, 1024),
        ModelApprovalStatus: input.approve ? 'Approved' : 'PendingManualApproval',
        InferenceSpecification: {
            Containers: [{ Image: input.image, ModelDataUrl: input.modelUri }],
            SupportedContentTypes: ['image/jpeg', 'image/png'],
            SupportedResponseMIMETypes: ['application/json'],
        },
        ModelMetrics: {
            ModelQuality: {
                Statistics: { ContentType: 'application/json', S3Uri: input.metricsUri },
            },
        },
        // The job that made it, so the registry links back to the training run.
        CustomerMetadataProperties: { 'sagemaker-yolo:training-job': input.jobName },
    };
}
/** The metrics document ModelMetrics points at: the gate's numbers, per class included. */
function registryMetricsDocument(jobName, metrics) {
    return { schema: 1, trainingJob: jobName, ...metrics };
}
function isMissingGroup(error) {
    const name = (0,errors/* errorName */.I)(error);
    return (name === 'ResourceNotFound' ||
        ((name === 'ValidationException' || name === 'ResourceNotFoundException') &&
            /does not exist|not found/i.test((0,errors/* errorMessage */.g)(error))));
}
async function ensureModelPackageGroup(sagemaker, group, log) {
    try {
        await sagemaker.send(new dist_cjs/* DescribeModelPackageGroupCommand */.ruq({ ModelPackageGroupName: group }));
        return;
    }
    catch (error) {
        if (!isMissingGroup(error))
            throw error;
    }
    try {
        await sagemaker.send(new dist_cjs/* CreateModelPackageGroupCommand */.EWw({
            ModelPackageGroupName: group,
            ModelPackageGroupDescription: 'YOLO models registered by sagemaker-yolo-action',
        }));
        log(`Created model package group ${group}`);
    }
    catch (error) {
        // Another run created it between our describe and create: that is the state we wanted.
        if (!/already exists/i.test((0,errors/* errorMessage */.g)(error)))
            throw error;
    }
}
async function registerModel(deps, input) {
    const key = modelKeys(input.prefix).registryMetrics(input.jobName);
    await deps.s3.send(new client_s3_dist_cjs.PutObjectCommand({
        Bucket: input.bucket,
        Key: key,
        Body: JSON.stringify(registryMetricsDocument(input.jobName, input.metrics)),
        ContentType: 'application/json',
    }));
    const metricsUri = (0,dataset_keys/* s3Uri */.tT)(input.bucket, key);
    await ensureModelPackageGroup(deps.sagemaker, input.group, deps.log);
    const created = await deps.sagemaker.send(new dist_cjs/* CreateModelPackageCommand */.N$s(modelPackageRequest({ ...input, metricsUri })));
    if (!created.ModelPackageArn)
        throw new Error('CreateModelPackage returned no ModelPackageArn');
    return { modelPackageArn: created.ModelPackageArn, metricsUri };
}

// EXTERNAL MODULE: ./src/dataset/stored-snapshot.ts
var stored_snapshot = __webpack_require__(3642);
;// CONCATENATED MODULE: ./src/model/store.ts
// S3 I/O of the model life cycle: champion pointers (with their history) and run records. Thin:
// the records' shapes and decisions are in champion.ts and run-key.ts.








async function getObject(s3, bucket, key) {
    try {
        const res = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = (await res.Body?.transformToString('utf-8')) ?? '';
        return { text, ...(res.ETag ? { etag: res.ETag } : {}) };
    }
    catch (error) {
        if ((0,src_s3/* isS3NotFound */.wl)(error))
            return undefined;
        throw error;
    }
}
function putJson(s3, bucket, key, value, condition = {}) {
    return s3.send(new client_s3_dist_cjs.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: 'application/json',
        ...condition,
    }));
}
async function readChampion(s3, at, branch) {
    const key = modelKeys(at.prefix).champion(branch);
    const found = await getObject(s3, at.bucket, key);
    if (!found)
        return undefined;
    const uri = (0,dataset_keys/* s3Uri */.tT)(at.bucket, key);
    return {
        champion: (0,model_champion/* parseChampion */.Zf)(found.text, uri),
        uri,
        ...(found.etag ? { etag: found.etag } : {}),
    };
}
/** Another run replaced the champion between our read and our write. */
class ChampionRaceError extends Error {
    name = 'ChampionRaceError';
}
/**
 * History first, the pointer last: a reader never sees a champion whose history entry is missing.
 * The pointer is replaced only if it is still the one read (If-Match on its ETag, or
 * If-None-Match: * when there was none), so two runs promoting at once cannot both win silently.
 */
async function writeChampion(s3, at, champion, previous) {
    const keys = modelKeys(at.prefix);
    const historyKey = keys.history(champion.branch, champion.promotedAt, champion.jobName);
    await putJson(s3, at.bucket, historyKey, champion);
    const key = keys.champion(champion.branch);
    const condition = previous?.etag ? { IfMatch: previous.etag } : { IfNoneMatch: '*' };
    try {
        await putJson(s3, at.bucket, key, champion, condition);
    }
    catch (error) {
        const status = error.$metadata?.httpStatusCode;
        if ((0,errors/* errorName */.I)(error) === 'PreconditionFailed' || status === 412 || status === 409) {
            throw new ChampionRaceError(`${(0,dataset_keys/* s3Uri */.tT)(at.bucket, key)} changed while this run was promoting ${champion.jobName} (another run promoted a model at the same time); it was not replaced.`);
        }
        throw error;
    }
    return { uri: (0,dataset_keys/* s3Uri */.tT)(at.bucket, key), historyUri: (0,dataset_keys/* s3Uri */.tT)(at.bucket, historyKey) };
}
async function readRunRecord(s3, at, key) {
    const objectKey = modelKeys(at.prefix).run(key);
    const found = await getObject(s3, at.bucket, objectKey);
    if (!found)
        return undefined;
    const record = parseRunRecord(found.text, (0,dataset_keys/* s3Uri */.tT)(at.bucket, objectKey));
    if (record.key !== key) {
        throw new Error(`${(0,dataset_keys/* s3Uri */.tT)(at.bucket, objectKey)} records run key ${record.key}, not ${key}`);
    }
    return record;
}
async function writeRunRecord(s3, at, record) {
    const key = modelKeys(at.prefix).run(record.key);
    await putJson(s3, at.bucket, key, record);
    return (0,dataset_keys/* s3Uri */.tT)(at.bucket, key);
}
/**
 * A snapshot document by fingerprint (gzip'd or plain), checked against it (the diff must not rest
 * on damage).
 */
async function readSnapshotDocument(s3, at, fingerprint) {
    if (!/^[0-9a-f]{64}$/.test(fingerprint))
        return undefined;
    return (await (0,stored_snapshot/* readStoredSnapshot */._Z)(s3, at, fingerprint))?.document;
}

;// CONCATENATED MODULE: ./src/model/stages.ts




function createModelStages(config, deps) {
    const at = { bucket: config.bucket, prefix: config.prefix };
    return {
        findRun: (key) => readRunRecord(deps.s3, at, key),
        recordRun: (record) => writeRunRecord(deps.s3, at, record),
        async baseline(cfg, dataset) {
            const branch = (0,model_champion/* baselineBranch */.Oz)(cfg.context);
            if (!branch)
                return undefined;
            const stored = await readChampion(deps.s3, at, branch);
            if (!stored)
                return { branch };
            const info = {
                branch,
                champion: stored.champion,
                championUri: stored.uri,
                ...(stored.etag ? { etag: stored.etag } : {}),
            };
            const base = stored.champion.snapshot;
            if (!base || !dataset.snapshot) {
                info.splitsNote = base
                    ? 'this run trained on dataset-s3-uri, which has no snapshot to compare'
                    : 'the champion trained on dataset-s3-uri, which has no snapshot to compare';
                return info;
            }
            const [before, after] = await Promise.all([
                readSnapshotDocument(deps.s3, at, base),
                readSnapshotDocument(deps.s3, at, dataset.snapshot),
            ]);
            if (!before || !after) {
                info.splitsNote = `snapshot ${(before ? dataset.snapshot : base).slice(0, 12)} is not in the bucket`;
                return info;
            }
            info.splits = diffSplits(before, after);
            return info;
        },
        async promote(champion, previous) {
            const stored = previous?.champion && previous.championUri
                ? {
                    champion: previous.champion,
                    uri: previous.championUri,
                    ...(previous.etag ? { etag: previous.etag } : {}),
                }
                : undefined;
            return writeChampion(deps.s3, at, champion, stored);
        },
        register: (input) => registerModel({ sagemaker: deps.sagemaker, s3: deps.s3, log: (m) => deps.log.info(m) }, {
            group: config.model.modelPackageGroup ?? '',
            approve: config.model.approveModel,
            jobName: input.jobName,
            image: input.image,
            modelUri: input.modelUri,
            description: `${config.context.repository || 'sagemaker-yolo'} ${config.context.sha.slice(0, 12)}: training job ${input.jobName}`,
            bucket: config.bucket,
            prefix: config.prefix,
            metrics: (0,model_champion/* championMetrics */.VN)(input.metrics),
        }),
    };
}

// EXTERNAL MODULE: ./src/retry.ts
var src_retry = __webpack_require__(9809);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/jobname.ts
var jobname = __webpack_require__(9855);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/training/local-builders.ts
// Pure parts of the local training backend: the files SageMaker writes into /opt/ml/input/config,
// where channel objects land, the job record kept beside the emulated tree, metric-line scraping
// and the JobOutcome built from it. No I/O here; local.ts is the adapter.


/** SageMaker's FailureReason limit. */
const FAILURE_REASON_MAX = 1024;
const FILE_CHANNEL = {
    TrainingInputMode: 'File',
    S3DistributionType: 'FullyReplicated',
    RecordWrapperType: 'None',
};
/** The channel names the SageMaker request uses for this input (request.ts inputChannels). */
function channelNames(input) {
    return input.kind === 'snapshot' ? ['training', 'snapshot'] : ['training'];
}
/** inputdataconfig.json: one entry per channel, in the shape SageMaker writes it. */
function buildInputDataConfig(input) {
    return Object.fromEntries(channelNames(input).map((name) => [name, { ...FILE_CHANNEL }]));
}
/**
 * A relative path that stays inside its channel directory, `/`-separated. Object keys become file
 * paths, so `..`, absolute paths and empty segments are refused rather than resolved.
 */
function safeRelativePath(rel) {
    const parts = rel.split('/');
    if (rel === '' ||
        rel.includes('\\') ||
        rel.includes('\0') ||
        parts.some((p) => p === '' || p === '.' || p === '..')) {
        throw new Error(`object key "${rel}" cannot be used as a file path inside a channel`);
    }
    return rel;
}
/** A SageMaker ManifestFile: `[{"prefix": "s3://b/p/"}, "rel/key", ...]`. */
function parseManifest(text) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`manifest is not JSON: ${error.message}`);
    }
    if (!Array.isArray(data) || data.length === 0) {
        throw new Error('manifest must be a JSON array starting with {"prefix": "s3://..."}');
    }
    const [head, ...rest] = data;
    const prefix = head?.prefix;
    if (typeof prefix !== 'string' || !prefix.startsWith('s3://')) {
        throw new Error('manifest must start with {"prefix": "s3://..."}');
    }
    const keys = [];
    const seen = new Set();
    for (const [i, key] of rest.entries()) {
        if (typeof key !== 'string')
            throw new Error(`manifest entry ${i + 1} is not a string`);
        if (seen.has(key))
            continue;
        seen.add(key);
        keys.push(safeRelativePath(key));
    }
    return { prefix: (0,src_s3/* parseS3Uri */.yc)(prefix), keys };
}
/** The key prefix to list for an S3Prefix channel: always a "directory", never a sibling match. */
function listPrefix(key) {
    return key === '' || key.endsWith('/') ? key : `${key}/`;
}
/** Where an object listed under `prefix` lands inside the channel (relative, `/`-separated). */
function channelPathFor(prefix, key) {
    if (!key.startsWith(prefix))
        throw new Error(`key "${key}" is not under "${prefix}"`);
    return safeRelativePath(key.slice(prefix.length));
}
/** The last path segment of an object key: where a single-object channel puts its file. */
function keyBasename(key) {
    const name = key.split('/').pop() ?? '';
    return safeRelativePath(name);
}
/** Locations SageMaker writes a job's archives to: <S3OutputPath>/<job>/output/<file>. */
function outputKeys(bucket, prefix, jobName) {
    const base = [prefix, 'output', jobName, 'output']
        .map((p) => p.replace(/^\/+|\/+$/g, ''))
        .filter(Boolean)
        .join('/');
    const modelKey = `${base}/model.tar.gz`;
    const outputKey = `${base}/output.tar.gz`;
    return {
        bucket,
        modelKey,
        outputKey,
        modelUri: `s3://${bucket}/${modelKey}`,
        outputUri: `s3://${bucket}/${outputKey}`,
    };
}
/** `docker run` arguments that start the entrypoint the way SageMaker does (`<image> train`). */
function buildDockerRunArgs(o) {
    const env = {
        YOLO_CONFIG_DIR: '/opt/ml/yolo-config',
        ...(o.user ? { HOME: '/tmp' } : {}),
        ...o.env,
    };
    return [
        'run',
        '--rm',
        '--name',
        o.containerName,
        // Like a SageMaker job with network isolation: the data comes in channels and the weights are
        // baked, so nothing needs a network; a daemon without a default bridge (--bridge=none) has
        // none to offer anyway.
        '--network',
        'none',
        '-v',
        `${o.jobDir}:/opt/ml`,
        // PyTorch data loaders share tensors through /dev/shm; docker's 64 MB default is too small.
        '--shm-size',
        '2g',
        ...(o.gpus ? ['--gpus', 'all'] : []),
        ...(o.user ? ['--user', o.user] : []),
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        o.image,
        'train',
    ];
}
/** Compiled metric definitions; SageMaker keeps the last captured value of each as a final metric. */
function compileMetricDefinitions(defs) {
    return defs.map((d) => ({ name: d.Name, regex: new RegExp(d.Regex) }));
}
/** Scrapes log text the way SageMaker fills FinalMetricDataList: last numeric match per metric. */
function finalMetricsFromLog(text, defs) {
    const out = {};
    for (const line of text.split(/\r?\n/)) {
        for (const { name, regex } of defs) {
            const m = regex.exec(line);
            if (!m || m[1] === undefined)
                continue;
            const value = Number(m[1]);
            if (Number.isFinite(value))
                out[name] = value;
        }
    }
    return out;
}
function parseJobRecord(text) {
    try {
        const data = JSON.parse(text);
        if (data?.version !== 1 ||
            typeof data.jobName !== 'string' ||
            typeof data.status !== 'string') {
            return undefined;
        }
        return data;
    }
    catch {
        return undefined;
    }
}
function isActive(status) {
    return status === 'InProgress' || status === 'Stopping';
}
/** A failure reason cut to SageMaker's limit (code points, never a split surrogate pair). */
function clipFailureReason(text) {
    return Array.from(text).slice(0, FAILURE_REASON_MAX).join('');
}
/**
 * Terminal status and failure reason from how the process ended. A stop wins (SageMaker reports
 * Stopped, keeping the artifacts); otherwise success needs exit 0 and no failure file. When the
 * exit code is unknown, the outputs decide: model files and no failure file mean it completed.
 */
function decideEnd(end) {
    const failure = end.failureText?.trim();
    if (end.stopRequested)
        return { status: 'Stopped' };
    if (failure)
        return { status: 'Failed', failureReason: clipFailureReason(failure) };
    if (end.exit) {
        if (end.exit.code === 0)
            return { status: 'Completed' };
        const how = end.exit.code !== null
            ? `exited with code ${end.exit.code}`
            : `was killed by ${end.exit.signal}`;
        const last = end.lastLogLine ? `; last output: ${end.lastLogLine.trim()}` : '';
        return {
            status: 'Failed',
            failureReason: clipFailureReason(`AlgorithmError: the training process ${how}${last}`),
        };
    }
    if (end.modelFiles.length > 0)
        return { status: 'Completed' };
    return {
        status: 'Failed',
        failureReason: 'AlgorithmError: the training process ended without writing a model or a failure reason (was its launcher killed?)',
    };
}
function secondaryStatus(record) {
    if (record.limitExceeded)
        return record.limitExceeded;
    if (record.status === 'InProgress')
        return 'Training';
    return record.status;
}
/** The JobOutcome for a record; `now` prices a job that is still running. */
function outcomeFromRecord(record, jobDir, now) {
    const end = record.endedAt ?? now;
    const seconds = Math.max(0, Math.round((end - record.startedAt) / 1000));
    return {
        jobName: record.jobName,
        status: record.status,
        secondaryStatus: secondaryStatus(record),
        ...(record.failureReason ? { failureReason: record.failureReason } : {}),
        ...(record.modelArtifactsUri ? { modelArtifactsUri: record.modelArtifactsUri } : {}),
        ...(record.outputDataUri ? { outputDataUri: record.outputDataUri } : {}),
        trainingSeconds: seconds,
        // Nothing is billed locally, but the reader and report compute spot savings from these two.
        billableSeconds: seconds,
        finalMetrics: record.finalMetrics ?? {},
        instanceType: 'local',
        instanceCount: 1,
        spot: false,
        consoleUrl: (0,external_node_url_.pathToFileURL)(jobDir).href,
        region: record.region,
        ...(record.limitExceeded ? { limitExceeded: record.limitExceeded } : {}),
    };
}
/** The last non-empty line of a text, for failure reasons. */
function lastNonEmptyLine(text) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines[lines.length - 1];
}

;// CONCATENATED MODULE: ./src/training/local-records.ts
// Where a local job lives on disk and its job.json record: what describe, wait and stop read from
// any process (the action's post step, `sagemaker-yolo status|stop <job>`).





const RECORD = 'job.json';
const LOG = 'train.log';
function defaultWorkRoot(env = process.env) {
    return external_node_path_default().join(env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'sagemaker-yolo-local');
}
/** A file's text from a byte offset, or undefined when it cannot be read. */
async function readText(file, from = 0) {
    try {
        const buf = await external_node_fs_.promises.readFile(file);
        return buf.subarray(Math.min(from, buf.length)).toString('utf8');
    }
    catch {
        return undefined;
    }
}
/** Sorted entries of a directory; none when it does not exist. */
async function listDir(dir) {
    return (await external_node_fs_.promises.readdir(dir).catch(() => [])).sort();
}
function createJobStore(workRoot) {
    function jobDir(jobName) {
        // Job names become directory names: the SageMaker rule keeps them free of separators.
        if (!(0,jobname/* isValidJobName */.lr)(jobName))
            throw new Error(`invalid training job name "${jobName}"`);
        return external_node_path_default().join(workRoot, jobName);
    }
    async function read(jobName) {
        const text = await readText(external_node_path_default().join(jobDir(jobName), RECORD));
        return text === undefined ? undefined : parseJobRecord(text);
    }
    return {
        workRoot,
        jobDir,
        read,
        async require(jobName) {
            const record = await read(jobName);
            if (!record) {
                throw new Error(`no local training job "${jobName}" under ${workRoot} (no ${RECORD})`);
            }
            return record;
        },
        async write(record) {
            const file = external_node_path_default().join(jobDir(record.jobName), RECORD);
            const tmp = `${file}.${process.pid}.tmp`;
            await external_node_fs_.promises.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
            await external_node_fs_.promises.rename(tmp, file); // atomic: another process never reads half a record
        },
    };
}

;// CONCATENATED MODULE: ./src/training/local-archives.ts
// S3 out: packs a finished local job's model/ and output/data/ into the archives SageMaker writes
// (model.tar.gz, output.tar.gz) and uploads them where SageMaker would.








/** Tars `srcDir` (entries at the archive root) into `archive` and uploads it; returns its URI. */
async function packAndUpload(deps, srcDir, archive, bucket, key) {
    await external_node_fs_.promises.mkdir(srcDir, { recursive: true }); // the container may have removed it
    const entries = await listDir(srcDir);
    await external_node_fs_.promises.mkdir(external_node_path_default().dirname(archive), { recursive: true });
    // An empty directory still makes a readable archive (`./` only), where a bare end-of-archive
    // block is refused by strict readers.
    await (0,index_min/* create */.vt)({ gzip: true, file: archive, cwd: srcDir, portable: true }, entries.length > 0 ? entries : ['.']);
    await (0,src_retry/* withRetry */.bD)(() => new lib_storage_dist_cjs/* Upload */._({
        client: deps.s3,
        params: {
            Bucket: bucket,
            Key: key,
            Body: (0,external_node_fs_.createReadStream)(archive),
            ContentType: 'application/x-gzip',
        },
    }).done(), { sleep: deps.sleep });
    return `s3://${bucket}/${key}`;
}
async function s3ObjectExists(s3, uri) {
    const { bucket, key } = (0,src_s3/* parseS3Uri */.yc)(uri);
    try {
        await s3.send(new client_s3_dist_cjs.HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
    }
    catch (error) {
        if ((0,src_s3/* isS3NotFound */.wl)(error))
            return false;
        throw error;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/dataset/concurrency.ts
var concurrency = __webpack_require__(2815);
;// CONCATENATED MODULE: ./src/training/local-channels.ts
// S3 in: fills a local job's /opt/ml/input/data channels the way SageMaker does, from a snapshot's
// ManifestFile (content-addressed blobs, checked against their names) or from an S3 prefix.









const SHA256_KEY = /^[0-9a-f]{64}$/;
async function getText(deps, bucket, key) {
    return (0,src_retry/* withRetry */.bD)(async () => {
        const res = await deps.s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await res.Body?.transformToString('utf8')) ?? '';
    }, { sleep: deps.sleep });
}
async function download(s3, item) {
    await external_node_fs_.promises.mkdir(external_node_path_default().dirname(item.dest), { recursive: true });
    const tmp = `${item.dest}.${process.pid}.part`;
    try {
        const res = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: item.bucket, Key: item.key }));
        if (!res.Body)
            throw new Error(`s3://${item.bucket}/${item.key} has no body`);
        const hash = (0,external_node_crypto_.createHash)('sha256');
        await (0,external_node_stream_promises_.pipeline)(res.Body, async function* (source) {
            for await (const chunk of source) {
                hash.update(chunk);
                yield chunk;
            }
        }, (0,external_node_fs_.createWriteStream)(tmp));
        // Content-addressed blobs carry their own checksum: the job sees exactly the snapshot.
        const digest = hash.digest('hex');
        if (item.sha256 && digest !== item.sha256) {
            throw new Error(`s3://${item.bucket}/${item.key} has sha256 ${digest}, not its name`);
        }
        await external_node_fs_.promises.rename(tmp, item.dest);
    }
    catch (error) {
        await external_node_fs_.promises.rm(tmp, { force: true });
        throw error;
    }
}
/** The objects SageMaker would put in each channel, with their destinations. */
async function channelDownloads(deps, input, dataDir) {
    const training = external_node_path_default().join(dataDir, 'training');
    if (input.kind === 'snapshot') {
        const loc = (0,src_s3/* parseS3Uri */.yc)(input.manifestUri);
        const manifest = parseManifest(await getText(deps, loc.bucket, loc.key));
        const items = manifest.keys.map((rel) => ({
            bucket: manifest.prefix.bucket,
            key: manifest.prefix.key + rel, // SageMaker appends each entry to the prefix as is
            dest: external_node_path_default().join(training, rel.split('/').join((external_node_path_default()).sep)),
            ...(SHA256_KEY.test(rel) ? { sha256: rel } : {}),
        }));
        const snap = (0,src_s3/* parseS3Uri */.yc)(input.snapshotUri);
        items.push({
            bucket: snap.bucket,
            key: snap.key,
            dest: external_node_path_default().join(dataDir, 'snapshot', keyBasename(snap.key)),
        });
        return items;
    }
    const loc = (0,src_s3/* parseS3Uri */.yc)(input.uri);
    const prefix = listPrefix(loc.key);
    const items = [];
    for await (const page of (0,client_s3_dist_cjs.paginateListObjectsV2)({ client: deps.s3 }, { Bucket: loc.bucket, Prefix: prefix })) {
        for (const obj of page.Contents ?? []) {
            if (!obj.Key || obj.Key.endsWith('/'))
                continue; // "folder" markers hold no data
            const rel = channelPathFor(prefix, obj.Key);
            items.push({
                bucket: loc.bucket,
                key: obj.Key,
                dest: external_node_path_default().join(training, rel.split('/').join((external_node_path_default()).sep)),
            });
        }
    }
    if (items.length === 0)
        throw new Error(`no objects under s3://${loc.bucket}/${prefix}`);
    return items;
}
/** Downloads every channel object of `input` under `dataDir` (retrying each object). */
async function fillChannels(deps, input, dataDir) {
    const items = await channelDownloads(deps, input, dataDir);
    deps.log(`Downloading ${items.length} objects into ${dataDir}`);
    await (0,concurrency/* mapLimit */.s)(items, deps.concurrency, (item) => (0,src_retry/* withRetry */.bD)(() => download(deps.s3, item), { sleep: deps.sleep }));
}

;// CONCATENATED MODULE: ./src/training/local-hosts.ts
// The emulated /opt/ml trees of a local job, one per host, as SageMaker gives each instance
// its own. The job directory is the first host's tree (its model/ and output/ are what the job
// returns, as SageMaker uploads the first host's); the others live under <job dir>/hosts/<host>/
// with their own input/config (resourceconfig.json names them), the same data (FullyReplicated:
// a link to the first tree's channels) and a copy of the job's checkpoints (SageMaker restores the
// checkpoint S3 URI onto every host).


const HOSTS_DIR = 'hosts';
/** algo-1 … algo-N, SageMaker's names. */
function hostNames(count) {
    return Array.from({ length: count }, (_, i) => `algo-${i + 1}`);
}
/**
 * resourceconfig.json for one host. Several local hosts talk over the loopback interface: naming
 * it keeps gloo off any other address this machine has.
 */
function hostResourceConfig(host, hosts) {
    return {
        current_host: host,
        hosts,
        network_interface_name: hosts.length > 1 ? 'lo' : 'eth0',
    };
}
/** Where a host's /opt/ml tree is: the job directory for the first, hosts/<name> for the rest. */
function hostRoot(jobDir, host, hosts) {
    return host === hosts[0] ? jobDir : external_node_path_default().join(jobDir, HOSTS_DIR, host);
}
const json = (v) => `${JSON.stringify(v, null, 2)}\n`;
/**
 * A fresh attempt's trees: new input/, model/ and output/ (checkpoints/ stays, so the job
 * resumes), every host's input/config files, and the other hosts' trees. `configFiles` are the
 * input/config files besides resourceconfig.json, the same on every host; inputdataconfig.json's
 * channels get their (empty) folders under the first tree's input/data.
 */
async function layOutTrees(jobDir, count, configFiles) {
    for (const sub of ['input', 'model', 'output', 'archives', HOSTS_DIR]) {
        await external_node_fs_.promises.rm(external_node_path_default().join(jobDir, sub), { recursive: true, force: true });
    }
    const channels = Object.keys(configFiles['inputdataconfig.json']);
    for (const d of [
        'model',
        external_node_path_default().join('output', 'data'),
        'checkpoints',
        'yolo-config',
        ...channels.map((c) => external_node_path_default().join('input', 'data', c)),
    ]) {
        await external_node_fs_.promises.mkdir(external_node_path_default().join(jobDir, d), { recursive: true });
    }
    const hosts = hostNames(count);
    for (const host of hosts) {
        const root = hostRoot(jobDir, host, hosts);
        const configDir = external_node_path_default().join(root, 'input', 'config');
        await external_node_fs_.promises.mkdir(configDir, { recursive: true });
        const files = { ...configFiles, 'resourceconfig.json': hostResourceConfig(host, hosts) };
        for (const [name, value] of Object.entries(files)) {
            await external_node_fs_.promises.writeFile(external_node_path_default().join(configDir, name), json(value));
        }
        if (root === jobDir)
            continue;
        await external_node_fs_.promises.symlink(external_node_path_default().join(jobDir, 'input', 'data'), external_node_path_default().join(root, 'input', 'data'));
        for (const sub of ['model', external_node_path_default().join('output', 'data'), 'yolo-config']) {
            await external_node_fs_.promises.mkdir(external_node_path_default().join(root, sub), { recursive: true });
        }
        await external_node_fs_.promises.cp(external_node_path_default().join(jobDir, 'checkpoints'), external_node_path_default().join(root, 'checkpoints'), {
            recursive: true,
        });
    }
    return hosts;
}

;// CONCATENATED MODULE: ./src/training/local-process.ts
// The local job's process: which way it runs (the training image under docker when a daemon
// answers, else train.py in a Python environment), starting it detached with its output in
// train.log, and signalling it.






/** Alive, or not ours to signal (EPERM): either way it has not ended. */
function pidAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/** The container name a job runs under (what `docker stop` and `docker kill` are given). */
function containerNameFor(jobName) {
    return `sagemaker-yolo-${jobName}`;
}
async function chooseRuntime(deps, image) {
    const wanted = deps.runtime ?? 'auto';
    // Without an image there is nothing for docker to run (the build was skipped).
    if (wanted === 'python' || (wanted === 'auto' && !image.imageUri)) {
        return { runtime: 'python', gpus: false };
    }
    const probe = await new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('docker', ['info', '--format', '{{json .Runtimes}}'], { timeout: 20_000, env: process.env }, (error, stdout) => resolve({ ok: !error, out: String(stdout) }));
    });
    if (wanted === 'docker' || probe.ok) {
        return { runtime: 'docker', gpus: probe.out.includes('nvidia') };
    }
    return { runtime: 'python', gpus: false };
}
/** Fails early, and says how to fix it, when the Python found has no ultralytics. */
async function assertCanTrain(deps, python) {
    const ok = await new Promise((resolve) => (0,external_node_child_process_.execFile)(python, ['-c', 'import ultralytics, torch'], { timeout: 120_000 }, (error) => resolve(!error)));
    if (!ok) {
        throw new Error(`${python} cannot import ultralytics and torch: run scripts/setup-python.sh in ${deps.actionRoot} ` +
            '(creates .venv with the pinned packages), or start a Docker daemon so the image is used');
    }
}
function pythonBinary(deps) {
    if (deps.python)
        return deps.python;
    const venv = external_node_path_default().join(deps.actionRoot, '.venv', 'bin', 'python');
    return (0,external_node_fs_.existsSync)(venv) ? venv : 'python3';
}
/**
 * The command for several hosts: training-container/local_hosts.py starts one entrypoint process
 * per host tree and plays SageMaker's part between them (signals, a failed host ends the job).
 */
function multiHostArgs(actionRoot, dir, hosts, entrypoint) {
    return [
        external_node_path_default().join(actionRoot, 'training-container', 'local_hosts.py'),
        ...hosts.map((h) => `${h}=${hostRoot(dir, h, hosts)}`),
        '--',
        entrypoint,
        'train',
    ];
}
/**
 * Starts the entrypoint detached, output appended to <dir>/train.log; resolves once it runs.
 * Several hosts run as processes on this machine (python), never as containers.
 */
async function spawnEntrypoint(deps, dir, jobName, image, hosts = ['algo-1']) {
    const { log } = deps;
    const multiHost = hosts.length > 1;
    if (multiHost && deps.runtime === 'docker') {
        throw new Error(`${hosts.length} instances run as ${hosts.length} processes on this machine; the docker runtime runs one container (use instance-count 1 or the python runtime)`);
    }
    const { runtime, gpus } = multiHost
        ? { runtime: 'python', gpus: false }
        : await chooseRuntime(deps, image);
    let command;
    let args;
    let env;
    let containerName;
    if (runtime === 'docker') {
        containerName = containerNameFor(jobName);
        const uid = process.getuid?.();
        const gid = process.getgid?.();
        command = 'docker';
        args = buildDockerRunArgs({
            jobDir: dir,
            image: image.imageUri,
            containerName,
            gpus,
            ...(uid !== undefined && uid !== 0 ? { user: `${uid}:${gid ?? uid}` } : {}),
            ...(deps.env ? { env: deps.env } : {}),
        });
        env = process.env;
        log.info(`Running ${image.imageUri} with docker${gpus ? ' (all GPUs)' : ''}, no network`);
    }
    else {
        const entrypoint = deps.entrypoint ?? external_node_path_default().join(deps.actionRoot, 'training-container', 'train.py');
        if (!(0,external_node_fs_.existsSync)(entrypoint))
            throw new Error(`training entrypoint not found: ${entrypoint}`);
        command = pythonBinary(deps);
        if (!deps.entrypoint)
            await assertCanTrain(deps, command);
        args = multiHost
            ? multiHostArgs(deps.actionRoot, dir, hosts, entrypoint)
            : [entrypoint, 'train'];
        env = {
            ...process.env,
            ...deps.env,
            OPT_ML_ROOT: dir,
            YOLO_OFFLINE: 'true',
            YOLO_CONFIG_DIR: external_node_path_default().join(dir, 'yolo-config'),
            PYTHONUNBUFFERED: '1', // lines reach train.log (and the log) as they are printed
        };
        log.info(multiHost
            ? `Running ${entrypoint} on ${hosts.length} local hosts (${hosts.join(', ')}), one process each, gloo over 127.0.0.1`
            : `No docker daemon in use: running ${entrypoint} with ${command}`);
    }
    const out = await external_node_fs_.promises.open(external_node_path_default().join(dir, LOG), 'a');
    try {
        const child = (0,external_node_child_process_.spawn)(command, args, {
            cwd: dir,
            env,
            stdio: ['ignore', out.fd, out.fd],
            // Its own process group: it survives the launcher (wait: false) and Ctrl-C of a terminal.
            detached: true,
        });
        const slot = {};
        child.once('exit', (code, signal) => {
            slot.exit = { code, signal };
        });
        await new Promise((resolve, reject) => {
            child.once('spawn', resolve);
            child.once('error', reject);
        });
        child.unref();
        return { pid: child.pid, runtime, slot, ...(containerName ? { containerName } : {}) };
    }
    finally {
        await out.close();
    }
}
/** SIGTERM to the main process only: docker run proxies it to the container's PID 1. */
function terminate(pid) {
    if (pid === undefined)
        return;
    try {
        process.kill(pid, 'SIGTERM');
    }
    catch {
        // already gone
    }
}
/** SIGKILL to the whole process group, and `docker kill` for a container. */
function hardKill(pid, containerName) {
    if (pid !== undefined) {
        for (const target of [-pid, pid]) {
            try {
                process.kill(target, 'SIGKILL'); // negative: its whole process group
            }
            catch {
                // not there
            }
        }
    }
    if (containerName) {
        (0,external_node_child_process_.execFile)('docker', ['kill', containerName], { env: process.env }, () => undefined);
    }
}

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./src/training/local-tail.ts
// Follows a growing log file (a local job's train.log) from a byte offset, line by line.


/**
 * Streams new lines of `file` to `onLine`; a `\r`-redrawn progress line shows its last state.
 * `onPollEnd` runs after each poll and flush (the caller sends one poll's lines as one block).
 */
function tailFile(file, offset, onLine, onPollEnd = () => { }) {
    let pos = offset;
    let partial = '';
    const decoder = new external_node_string_decoder_.StringDecoder('utf8');
    const emit = (raw) => {
        const line = raw
            .split('\r')
            .filter((s) => s.trim() !== '')
            .pop();
        if (line !== undefined)
            onLine(line);
    };
    async function poll() {
        try {
            await readNew();
        }
        finally {
            onPollEnd();
        }
    }
    async function readNew() {
        const fh = await external_node_fs_.promises.open(file, 'r').catch(() => undefined);
        if (!fh)
            return;
        try {
            const buf = Buffer.alloc(64 * 1024);
            for (;;) {
                const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
                if (bytesRead === 0)
                    break;
                pos += bytesRead;
                partial += decoder.write(buf.subarray(0, bytesRead));
                const lines = partial.split('\n');
                partial = lines.pop() ?? '';
                lines.forEach(emit);
            }
        }
        finally {
            await fh.close();
        }
    }
    async function flush() {
        await readNew();
        const rest = partial + decoder.end();
        partial = '';
        if (rest)
            emit(rest);
        onPollEnd();
    }
    return { poll, flush };
}

;// CONCATENATED MODULE: ./training-container/metric-definitions.json
const metric_definitions_namespaceObject = /*#__PURE__*/JSON.parse('{"BG":[{"Name":"epoch","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bepoch=([0-9]+)","key":"epoch","column":"epoch"},{"Name":"precision","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bprecision=([-+0-9.eE]+)","key":"precision","column":"metrics/precision(B)"},{"Name":"recall","Regex":"\\\\[yolo-metrics\\\\].*?\\\\brecall=([-+0-9.eE]+)","key":"recall","column":"metrics/recall(B)"},{"Name":"map50","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmap50=([-+0-9.eE]+)","key":"map50","column":"metrics/mAP50(B)"},{"Name":"map50_95","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmap50_95=([-+0-9.eE]+)","key":"map50_95","column":"metrics/mAP50-95(B)"},{"Name":"mask:precision","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmask_precision=([-+0-9.eE]+)","key":"mask_precision","column":"metrics/precision(M)"},{"Name":"mask:recall","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmask_recall=([-+0-9.eE]+)","key":"mask_recall","column":"metrics/recall(M)"},{"Name":"mask:map50","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmask_map50=([-+0-9.eE]+)","key":"mask_map50","column":"metrics/mAP50(M)"},{"Name":"mask:map50_95","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bmask_map50_95=([-+0-9.eE]+)","key":"mask_map50_95","column":"metrics/mAP50-95(M)"},{"Name":"pose:precision","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bpose_precision=([-+0-9.eE]+)","key":"pose_precision","column":"metrics/precision(P)"},{"Name":"pose:recall","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bpose_recall=([-+0-9.eE]+)","key":"pose_recall","column":"metrics/recall(P)"},{"Name":"pose:map50","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bpose_map50=([-+0-9.eE]+)","key":"pose_map50","column":"metrics/mAP50(P)"},{"Name":"pose:map50_95","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bpose_map50_95=([-+0-9.eE]+)","key":"pose_map50_95","column":"metrics/mAP50-95(P)"},{"Name":"top1","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btop1=([-+0-9.eE]+)","key":"top1","column":"metrics/accuracy_top1"},{"Name":"top5","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btop5=([-+0-9.eE]+)","key":"top5","column":"metrics/accuracy_top5"},{"Name":"train:box_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_box_loss=([-+0-9.eE]+)","key":"train_box_loss","column":"train/box_loss"},{"Name":"train:cls_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_cls_loss=([-+0-9.eE]+)","key":"train_cls_loss","column":"train/cls_loss"},{"Name":"train:dfl_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_dfl_loss=([-+0-9.eE]+)","key":"train_dfl_loss","column":"train/dfl_loss"},{"Name":"val:box_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_box_loss=([-+0-9.eE]+)","key":"val_box_loss","column":"val/box_loss"},{"Name":"val:cls_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_cls_loss=([-+0-9.eE]+)","key":"val_cls_loss","column":"val/cls_loss"},{"Name":"val:dfl_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_dfl_loss=([-+0-9.eE]+)","key":"val_dfl_loss","column":"val/dfl_loss"},{"Name":"train:seg_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_seg_loss=([-+0-9.eE]+)","key":"train_seg_loss","column":"train/seg_loss"},{"Name":"train:pose_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_pose_loss=([-+0-9.eE]+)","key":"train_pose_loss","column":"train/pose_loss"},{"Name":"train:kobj_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_kobj_loss=([-+0-9.eE]+)","key":"train_kobj_loss","column":"train/kobj_loss"},{"Name":"train:angle_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_angle_loss=([-+0-9.eE]+)","key":"train_angle_loss","column":"train/angle_loss"},{"Name":"train:loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\btrain_loss=([-+0-9.eE]+)","key":"train_loss","column":"train/loss"},{"Name":"val:seg_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_seg_loss=([-+0-9.eE]+)","key":"val_seg_loss","column":"val/seg_loss"},{"Name":"val:pose_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_pose_loss=([-+0-9.eE]+)","key":"val_pose_loss","column":"val/pose_loss"},{"Name":"val:kobj_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_kobj_loss=([-+0-9.eE]+)","key":"val_kobj_loss","column":"val/kobj_loss"},{"Name":"val:angle_loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_angle_loss=([-+0-9.eE]+)","key":"val_angle_loss","column":"val/angle_loss"},{"Name":"val:loss","Regex":"\\\\[yolo-metrics\\\\].*?\\\\bval_loss=([-+0-9.eE]+)","key":"val_loss","column":"val/loss"}]}');
;// CONCATENATED MODULE: ./src/training/request.ts


const TOOL_NAME = 'sagemaker-yolo-action';
const TAG_PREFIX = 'sagemaker-yolo:';
const CHECKPOINT_LOCAL_PATH = '/opt/ml/checkpoints';
/** MetricDefinitions from the one shared file that train.py's log line also follows. */
function metricDefinitionsFromFile() {
    return metric_definitions_namespaceObject.BG.map(({ Name, Regex }) => ({ Name, Regex }));
}
/** s3://bucket/prefix/part/... with the prefix's stray slashes tolerated. */
function s3UriUnder(bucket, prefix, ...parts) {
    const segments = [prefix, ...parts].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
    return `s3://${bucket}/${segments.join('/')}`;
}
function checkpointUri(bucket, prefix, jobName) {
    return `${s3UriUnder(bucket, prefix, 'checkpoints', jobName)}/`;
}
function outputPathUri(bucket, prefix) {
    return `${s3UriUnder(bucket, prefix, 'output')}/`;
}
const TAG_VALUE_MAX = 256;
const TAG_DISALLOWED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
/** AWS tag rules: a restricted character set and at most 256 Unicode characters. */
function sanitizeTagValue(value, max = TAG_VALUE_MAX) {
    const cleaned = value.replace(TAG_DISALLOWED, '_').trim();
    // Count code points, not UTF-16 units, so a truncation never splits a surrogate pair.
    return Array.from(cleaned).slice(0, max).join('');
}
/** The action's own sagemaker-yolo:* tags, then the user's `tags` input (checked by config). */
function buildTags(config, dataset) {
    const ctx = config.context;
    const entries = [
        ['tool', TOOL_NAME],
        ['repository', ctx.repository],
        ['ref', ctx.ref],
        ['sha', ctx.sha],
        ['event', ctx.eventName],
        ['pr', ctx.prNumber !== undefined ? String(ctx.prNumber) : undefined],
        [
            'run-url',
            ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}` : undefined,
        ],
        ['snapshot', dataset.kind === 'snapshot' ? dataset.fingerprint : undefined],
    ];
    const tags = [];
    for (const [key, raw] of entries) {
        const value = raw === undefined ? '' : sanitizeTagValue(raw);
        if (value)
            tags.push({ Key: `${TAG_PREFIX}${key}`, Value: value });
    }
    for (const [Key, Value] of Object.entries(config.lockdown.tags))
        tags.push({ Key, Value });
    return tags;
}
function inputChannels(dataset, mode) {
    if (dataset.kind === 's3-prefix') {
        return [
            {
                ChannelName: 'training',
                DataSource: {
                    S3DataSource: {
                        S3DataType: 'S3Prefix',
                        S3Uri: dataset.uri,
                        S3DataDistributionType: 'FullyReplicated',
                    },
                },
                InputMode: mode,
            },
        ];
    }
    return [
        {
            // The blobs, named by their sha256; train.py rebuilds the tree from the snapshot JSON.
            ChannelName: 'training',
            DataSource: {
                S3DataSource: {
                    S3DataType: 'ManifestFile',
                    S3Uri: dataset.manifestUri,
                    S3DataDistributionType: 'FullyReplicated',
                },
            },
            InputMode: mode,
        },
        {
            ChannelName: 'snapshot',
            DataSource: {
                S3DataSource: {
                    S3DataType: 'S3Prefix',
                    S3Uri: dataset.snapshotUri,
                    S3DataDistributionType: 'FullyReplicated',
                },
            },
            InputMode: mode,
        },
    ];
}
/** Network, encryption, environment and retry fields for locked-down accounts (issue 15). */
function lockdownFields(config) {
    const l = config.lockdown;
    return {
        ...(l.vpc
            ? {
                VpcConfig: { Subnets: [...l.vpc.subnets], SecurityGroupIds: [...l.vpc.securityGroupIds] },
            }
            : {}),
        EnableNetworkIsolation: l.networkIsolation,
        EnableInterContainerTrafficEncryption: l.encryptInterContainerTraffic,
        ...(Object.keys(l.environment).length > 0 ? { Environment: { ...l.environment } } : {}),
        ...(l.retryAttempts !== undefined
            ? { RetryStrategy: { MaximumRetryAttempts: l.retryAttempts } }
            : {}),
        // Debugger's profiler samples system metrics into S3 for every job unless turned off: it costs
        // and tells a YOLO user nothing the training log does not, so it is off unless asked for.
        ProfilerConfig: l.profiler
            ? { DisableProfiler: false, S3OutputPath: outputPathUri(config.bucket, config.prefix) }
            : { DisableProfiler: true },
    };
}
function buildTrainingJobRequest(input) {
    const { config, jobName } = input;
    const { lockdown } = config;
    return {
        TrainingJobName: jobName,
        RoleArn: config.role,
        AlgorithmSpecification: {
            TrainingImage: input.imageUri,
            TrainingInputMode: lockdown.inputMode,
            MetricDefinitions: input.metricDefinitions.map(({ Name, Regex }) => ({ Name, Regex })),
        },
        HyperParameters: { ...input.hyperparameters },
        InputDataConfig: inputChannels(input.dataset, lockdown.inputMode),
        // SageMaker appends <job>/output/{model,output}.tar.gz under this path.
        OutputDataConfig: {
            S3OutputPath: outputPathUri(config.bucket, config.prefix),
            ...(lockdown.outputKmsKey ? { KmsKeyId: lockdown.outputKmsKey } : {}),
        },
        ResourceConfig: {
            InstanceType: config.instanceType,
            InstanceCount: config.instanceCount,
            VolumeSizeInGB: config.volumeSizeGb,
            ...(lockdown.volumeKmsKey ? { VolumeKmsKeyId: lockdown.volumeKmsKey } : {}),
            ...(lockdown.keepAliveSeconds !== undefined
                ? { KeepAlivePeriodInSeconds: lockdown.keepAliveSeconds }
                : {}),
        },
        StoppingCondition: {
            MaxRuntimeInSeconds: config.maxRuntimeSeconds,
            // SageMaker rejects MaxWait without spot; validateRequest reports spot without it.
            ...(config.spot && config.maxWaitSeconds !== undefined
                ? { MaxWaitTimeInSeconds: config.maxWaitSeconds }
                : {}),
        },
        EnableManagedSpotTraining: config.spot,
        // Per-job checkpoint dir: a spot restart of this job resumes; a fresh -rN job starts clean.
        CheckpointConfig: {
            S3Uri: checkpointUri(config.bucket, config.prefix, jobName),
            LocalPath: CHECKPOINT_LOCAL_PATH,
        },
        Tags: buildTags(config, input.dataset),
        ...lockdownFields(config),
    };
}
// Limits from the CreateTrainingJob API reference.
const LIMITS = {
    jobNameMax: 63,
    maxRuntimeSeconds: 28 * 24 * 3600,
    hyperparameters: 100,
    hyperparameterKeyMax: 256,
    hyperparameterValueMax: 2500,
    metricDefinitions: 40,
    metricNameMax: 255,
    metricRegexMax: 500,
    channels: 20,
    channelNameMax: 64,
    s3UriMax: 1024,
    tags: 50,
    tagKeyMax: 128,
    tagValueMax: 256,
    imageMax: 255,
};
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const S3_URI_PATTERN = /^(https|s3):\/\/[^/]+\/?.*$/;
const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9.\-_]+$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const chars = (s) => Array.from(s).length;
/** Every rule the request breaks, as readable sentences; empty when it is valid. */
function requestProblems(req) {
    const problems = [];
    const name = req.TrainingJobName ?? '';
    if (!name || name.length > LIMITS.jobNameMax || !jobname/* JOB_NAME_PATTERN */.PQ.test(name)) {
        problems.push(`TrainingJobName "${name}" must be 1-${LIMITS.jobNameMax} letters, digits and inner hyphens (${jobname/* JOB_NAME_PATTERN */.PQ.source})`);
    }
    if (!req.RoleArn || !ROLE_ARN_PATTERN.test(req.RoleArn)) {
        problems.push(`RoleArn "${req.RoleArn ?? ''}" is not an IAM role ARN`);
    }
    const image = req.AlgorithmSpecification?.TrainingImage ?? '';
    if (!image || image.length > LIMITS.imageMax) {
        problems.push(`TrainingImage must be 1-${LIMITS.imageMax} characters`);
    }
    const hp = Object.entries(req.HyperParameters ?? {});
    if (hp.length > LIMITS.hyperparameters) {
        problems.push(`${hp.length} hyperparameters; SageMaker allows at most ${LIMITS.hyperparameters}`);
    }
    for (const [key, value] of hp) {
        if (typeof value !== 'string')
            problems.push(`hyperparameter ${key} must be a string`);
        else if (value.length > LIMITS.hyperparameterValueMax) {
            problems.push(`hyperparameter ${key} is longer than ${LIMITS.hyperparameterValueMax} characters`);
        }
        if (!key || key.length > LIMITS.hyperparameterKeyMax) {
            problems.push(`hyperparameter name "${key}" must be 1-${LIMITS.hyperparameterKeyMax} characters`);
        }
    }
    const metrics = req.AlgorithmSpecification?.MetricDefinitions ?? [];
    if (metrics.length > LIMITS.metricDefinitions) {
        problems.push(`${metrics.length} metric definitions; SageMaker allows at most ${LIMITS.metricDefinitions}`);
    }
    for (const m of metrics) {
        if (!m.Name || m.Name.length > LIMITS.metricNameMax) {
            problems.push(`metric name "${m.Name ?? ''}" must be 1-${LIMITS.metricNameMax} characters`);
        }
        if (!m.Regex || m.Regex.length > LIMITS.metricRegexMax) {
            problems.push(`metric ${m.Name ?? '?'}: regex must be 1-${LIMITS.metricRegexMax} characters (has ${m.Regex?.length ?? 0})`);
        }
    }
    const rc = req.ResourceConfig;
    if (!rc?.InstanceType || !String(rc.InstanceType).startsWith('ml.')) {
        problems.push(`InstanceType "${rc?.InstanceType ?? ''}" must be an ml.* instance type`);
    }
    if (!Number.isInteger(rc?.InstanceCount) || (rc?.InstanceCount ?? 0) < 1) {
        problems.push('InstanceCount must be an integer >= 1');
    }
    if (!Number.isInteger(rc?.VolumeSizeInGB) || (rc?.VolumeSizeInGB ?? 0) < 1) {
        problems.push('VolumeSizeInGB must be an integer >= 1');
    }
    const runtime = req.StoppingCondition?.MaxRuntimeInSeconds;
    const wait = req.StoppingCondition?.MaxWaitTimeInSeconds;
    if (!Number.isInteger(runtime) || runtime < 1 || runtime > LIMITS.maxRuntimeSeconds) {
        problems.push(`MaxRuntimeInSeconds must be an integer in [1, ${LIMITS.maxRuntimeSeconds}] (28 days)`);
    }
    if (req.EnableManagedSpotTraining) {
        if (wait === undefined) {
            problems.push('managed spot training needs MaxWaitTimeInSeconds');
        }
        else if (!Number.isInteger(wait) || runtime === undefined || wait <= runtime) {
            problems.push(`MaxWaitTimeInSeconds (${wait}) must be an integer larger than MaxRuntimeInSeconds (${runtime})`);
        }
    }
    else if (wait !== undefined) {
        problems.push('MaxWaitTimeInSeconds is only allowed with managed spot training');
    }
    const channels = req.InputDataConfig ?? [];
    if (channels.length < 1 || channels.length > LIMITS.channels) {
        problems.push(`1-${LIMITS.channels} input channels are required (has ${channels.length})`);
    }
    const seen = new Set();
    for (const c of channels) {
        const cname = c.ChannelName ?? '';
        if (!CHANNEL_NAME_PATTERN.test(cname) || cname.length > LIMITS.channelNameMax) {
            problems.push(`channel name "${cname}" is invalid`);
        }
        if (seen.has(cname))
            problems.push(`channel "${cname}" appears twice`);
        seen.add(cname);
        checkS3Uri(`channel ${cname}`, c.DataSource?.S3DataSource?.S3Uri, problems);
    }
    checkS3Uri('S3OutputPath', req.OutputDataConfig?.S3OutputPath, problems);
    if (req.CheckpointConfig)
        checkS3Uri('checkpoint S3Uri', req.CheckpointConfig.S3Uri, problems);
    if (req.ResourceConfig?.KeepAlivePeriodInSeconds !== undefined && req.EnableManagedSpotTraining) {
        problems.push('KeepAlivePeriodInSeconds (warm pools) is not allowed with managed spot training');
    }
    const retries = req.RetryStrategy?.MaximumRetryAttempts;
    if (req.RetryStrategy && (!Number.isInteger(retries) || retries < 1 || retries > 30)) {
        problems.push(`RetryStrategy.MaximumRetryAttempts (${retries}) must be an integer from 1 to 30`);
    }
    const vpc = req.VpcConfig;
    if (vpc) {
        const subnets = vpc.Subnets?.length ?? 0;
        const groups = vpc.SecurityGroupIds?.length ?? 0;
        if (subnets < 1 || subnets > 16)
            problems.push(`VpcConfig needs 1-16 subnets (has ${subnets})`);
        if (groups < 1 || groups > 5) {
            problems.push(`VpcConfig needs 1-5 security groups (has ${groups})`);
        }
    }
    const environment = Object.entries(req.Environment ?? {});
    if (environment.length > 100) {
        problems.push(`${environment.length} environment variables; SageMaker allows at most 100`);
    }
    for (const [key, value] of environment) {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || key.length > 512 || value.length > 512) {
            problems.push(`environment variable "${key}" breaks SageMaker's name or length rules`);
        }
    }
    const tags = req.Tags ?? [];
    if (tags.length > LIMITS.tags)
        problems.push(`${tags.length} tags; at most ${LIMITS.tags}`);
    for (const t of tags) {
        const key = t.Key ?? '';
        const value = t.Value ?? '';
        if (!key || chars(key) > LIMITS.tagKeyMax || !TAG_PATTERN.test(key) || /^aws:/i.test(key)) {
            problems.push(`tag key "${key}" breaks the AWS tag rules`);
        }
        if (chars(value) > LIMITS.tagValueMax || !TAG_PATTERN.test(value)) {
            problems.push(`tag ${key}: value breaks the AWS tag rules`);
        }
    }
    return problems;
}
function checkS3Uri(what, uri, problems) {
    if (!uri || !S3_URI_PATTERN.test(uri) || uri.length > LIMITS.s3UriMax) {
        problems.push(`${what}: "${uri ?? ''}" is not an s3:// URI of at most ${LIMITS.s3UriMax} characters`);
    }
}
/** Throws one error listing every problem, before any AWS call is made. */
function validateRequest(req) {
    const problems = requestProblems(req);
    if (problems.length > 0) {
        throw new Error(`The CreateTrainingJob request for ${req.TrainingJobName ?? '(no name)'} is invalid:\n- ${problems.join('\n- ')}`);
    }
}

// EXTERNAL MODULE: ./src/untrusted.ts
var untrusted = __webpack_require__(3254);
;// CONCATENATED MODULE: ./src/training/local.ts
// The local training backend (`instance-type: local`): runs the training container's entrypoint on
// this machine against an emulated /opt/ml tree, filled from S3 the way SageMaker fills it, and
// writes the archives back where SageMaker would. Everything after training (metrics reader, gate,
// report) therefore cannot tell the two backends apart.
//
// The process runs detached with its output in <job dir>/train.log and its state in job.json, so
// a job outlives the process that started it (wait: false), and describe/wait/stop work from any
// process (the action's post step, `sagemaker-yolo status|stop <job>`).
















/** Jobs this process is launching (downloading their channels) right now, by job directory. */
const launching = new Set();
function createLocalBackend(deps) {
    const { s3, log } = deps;
    const workRoot = external_node_path_default().resolve(deps.workRoot ?? defaultWorkRoot());
    const sleep = deps.sleep ?? src_retry/* realSleep */.uk;
    const now = deps.now ?? Date.now;
    const pollMs = deps.pollMs ?? 1000;
    const graceMs = deps.stopGraceMs ?? 120_000;
    const concurrency = deps.concurrency ?? 8;
    const metricDefs = compileMetricDefinitions(metricDefinitionsFromFile());
    const owned = new Map();
    const finalizing = new Map();
    const store = createJobStore(workRoot);
    const { jobDir } = store;
    const readRecord = store.read;
    const requireRecord = store.require;
    const writeRecord = store.write;
    function isAlive(record) {
        const mine = owned.get(record.jobName);
        if (mine)
            return mine.exit === undefined;
        if (record.pid !== undefined)
            return pidAlive(record.pid);
        // Before the child exists, the launcher itself is the job (it is downloading the channels).
        if (record.launcherPid === process.pid)
            return launching.has(jobDir(record.jobName));
        return record.launcherPid !== undefined && pidAlive(record.launcherPid);
    }
    /** A finished job whose archives vanished (a fresh emulator, a lifecycle rule): upload again. */
    async function ensureArchives(record) {
        const dir = jobDir(record.jobName);
        const pairs = [
            [record.outputDataUri, external_node_path_default().join(dir, 'output', 'data'), 'output.tar.gz'],
            [record.modelArtifactsUri, external_node_path_default().join(dir, 'model'), 'model.tar.gz'],
        ];
        for (const [uri, src, name] of pairs) {
            if (!uri || (await s3ObjectExists(s3, uri)))
                continue;
            log.info(`${uri} is missing; uploading it again from ${src}`);
            const { bucket, key } = (0,src_s3/* parseS3Uri */.yc)(uri);
            await packAndUpload({ s3, sleep }, src, external_node_path_default().join(dir, 'archives', name), bucket, key);
        }
    }
    async function start(config, image, input) {
        const jobName = config.jobName;
        const dir = jobDir(jobName);
        const hyperparameters = (0,src_hyperparameters/* hyperparametersToStrings */.W1)(config.hyperparameters);
        finalizing.delete(jobName);
        owned.delete(jobName);
        await external_node_fs_.promises.mkdir(dir, { recursive: true });
        const logOffset = (await external_node_fs_.promises.stat(external_node_path_default().join(dir, LOG)).catch(() => undefined))?.size ?? 0;
        const dataDir = external_node_path_default().join(dir, 'input', 'data');
        const inputDataConfig = buildInputDataConfig(input);
        let record = {
            version: 1,
            jobName,
            status: 'InProgress',
            startedAt: now(),
            launcherPid: process.pid,
            logOffset,
            bucket: config.bucket,
            prefix: config.prefix,
            region: config.region,
            maxRuntimeSeconds: config.maxRuntimeSeconds,
            waitTimeoutSeconds: config.waitTimeoutSeconds,
        };
        await writeRecord(record);
        const hosts = await layOutTrees(dir, config.instanceCount, {
            'hyperparameters.json': hyperparameters,
            'inputdataconfig.json': inputDataConfig,
        });
        // Like SageMaker, a job that cannot get its data or start its container is a Failed job with a
        // reason, reported like any other, rather than an exception out of launch.
        const fail = async (reason) => {
            log.warning(`Local training job ${jobName} failed: ${reason}`);
            record = {
                ...record,
                status: 'Failed',
                endedAt: now(),
                failureReason: clipFailureReason(reason),
            };
            await writeRecord(record);
            return record;
        };
        try {
            await fillChannels({ s3, sleep, concurrency, log: (m) => log.info(m) }, input, dataDir);
        }
        catch (error) {
            return fail(`ClientError: Data download failed: ${(0,errors/* errorMessage */.g)(error)}`);
        }
        // stop() from another process while we downloaded: honour it instead of starting.
        const stopRequested = async () => (await readRecord(jobName))?.stopRequested === true;
        if (await stopRequested()) {
            record = { ...record, status: 'Stopped', stopRequested: true, endedAt: now() };
            await writeRecord(record);
            return record;
        }
        try {
            const { slot, ...started } = await spawnEntrypoint(deps, dir, jobName, image, hosts);
            owned.set(jobName, slot);
            record = { ...record, ...started };
        }
        catch (error) {
            return fail(`AlgorithmError: could not start the training entrypoint: ${(0,errors/* errorMessage */.g)(error)}`);
        }
        if (await stopRequested()) {
            record = await requestStop(record); // it came while spawning: pass it on
        }
        else {
            await writeRecord(record);
        }
        log.info(`Local training job ${jobName} started (${record.runtime}, pid ${record.pid}) in ${dir}; log: ${external_node_path_default().join(dir, LOG)}`);
        return record;
    }
    // ---- end of a job ----
    function finalize(jobName) {
        let pending = finalizing.get(jobName);
        if (!pending) {
            pending = doFinalize(jobName).catch((error) => {
                finalizing.delete(jobName); // let a later call try again
                throw error;
            });
            finalizing.set(jobName, pending);
        }
        return pending;
    }
    /** Once the process is gone: decide the status, pack and upload, record the outcome. */
    async function doFinalize(jobName) {
        const dir = jobDir(jobName);
        const record = await requireRecord(jobName);
        if (!isActive(record.status))
            return outcomeFromRecord(record, dir, now());
        const exit = owned.get(jobName)?.exit;
        const logText = (await readText(external_node_path_default().join(dir, LOG), record.logOffset)) ?? '';
        const failureText = await readText(external_node_path_default().join(dir, 'output', 'failure'));
        const modelFiles = await listDir(external_node_path_default().join(dir, 'model'));
        const lastLogLine = lastNonEmptyLine(logText);
        const decided = decideEnd({
            ...(exit ? { exit } : {}),
            ...(failureText !== undefined ? { failureText } : {}),
            ...(lastLogLine !== undefined ? { lastLogLine } : {}),
            modelFiles,
            stopRequested: record.stopRequested === true,
        });
        let ended = {
            ...record,
            status: decided.status,
            endedAt: now(),
            finalMetrics: finalMetricsFromLog(logText, metricDefs),
            ...(exit ? { exitCode: exit.code, signal: exit.signal } : {}),
            ...(decided.failureReason ? { failureReason: decided.failureReason } : {}),
        };
        const loc = outputKeys(record.bucket, record.prefix, jobName);
        try {
            // Like SageMaker: output data always (it explains failures), the model unless it failed.
            ended.outputDataUri = await packAndUpload({ s3, sleep }, external_node_path_default().join(dir, 'output', 'data'), external_node_path_default().join(dir, 'archives', 'output.tar.gz'), loc.bucket, loc.outputKey);
            if (decided.status !== 'Failed' && modelFiles.length > 0) {
                ended.modelArtifactsUri = await packAndUpload({ s3, sleep }, external_node_path_default().join(dir, 'model'), external_node_path_default().join(dir, 'archives', 'model.tar.gz'), loc.bucket, loc.modelKey);
            }
        }
        catch (error) {
            ended = {
                ...ended,
                status: 'Failed',
                failureReason: clipFailureReason(`ClientError: uploading the job's outputs failed: ${(0,errors/* errorMessage */.g)(error)}`),
            };
        }
        await writeRecord(ended);
        const outcome = outcomeFromRecord(ended, dir, now());
        log.info(`Local training job ${jobName} ${outcome.status} after ${outcome.trainingSeconds} s` +
            (outcome.failureReason ? `: ${outcome.failureReason}` : ''));
        return outcome;
    }
    // ---- stop ----
    /** Asks the job to stop (SIGTERM: the container saves its checkpoint); does not wait. */
    async function requestStop(record, limit) {
        const updated = {
            ...record,
            status: 'Stopping',
            stopRequested: true,
            stopRequestedAt: now(),
            ...(limit ? { limitExceeded: limit } : {}),
        };
        await writeRecord(updated);
        // Only the main process: docker run proxies it to the container's PID 1, as `docker stop`
        // (and SageMaker) would; python's data-loader workers follow their parent.
        terminate(record.pid);
        return updated;
    }
    function killJob(record) {
        if (record.pid === undefined)
            return;
        log.warning(`Local training job ${record.jobName} ignored SIGTERM; killing it`);
        hardKill(record.pid, record.containerName);
    }
    async function stop(jobName) {
        let record = await requireRecord(jobName);
        const dir = jobDir(jobName);
        if (!isActive(record.status))
            return outcomeFromRecord(record, dir, now());
        if (!isAlive(record))
            return finalize(jobName);
        if (!record.stopRequested) {
            log.info(`Stopping local training job ${jobName} (SIGTERM, up to ${graceMs / 1000} s)`);
            record = await requestStop(record);
        }
        const deadline = (record.stopRequestedAt ?? now()) + graceMs;
        let killDeadline;
        for (;;) {
            // Re-read: a launcher still downloading settles the job itself once it sees the request.
            record = (await readRecord(jobName)) ?? record;
            if (!isActive(record.status))
                return outcomeFromRecord(record, dir, now());
            if (!isAlive(record))
                break;
            if (killDeadline === undefined && now() >= deadline) {
                killJob(record);
                killDeadline = now() + 10_000;
            }
            if (killDeadline !== undefined && now() >= killDeadline)
                break;
            await sleep(Math.min(pollMs, 250));
        }
        return finalize(jobName);
    }
    // ---- the backend ----
    return {
        kind: 'local',
        jobDir,
        stop,
        async launch(config, image, dataset) {
            const jobName = config.jobName;
            let record = await readRecord(jobName);
            if (record && isActive(record.status)) {
                if (isAlive(record)) {
                    log.info(`Local training job ${jobName} is already running (pid ${record.pid}): following it`);
                    return { jobName, attached: true };
                }
                await finalize(jobName);
                record = await readRecord(jobName);
            }
            if (record?.status === 'Completed') {
                // SageMaker's re-run safety: the same job name never trains twice.
                log.info(`Local training job ${jobName} already completed in ${jobDir(jobName)}`);
                await ensureArchives(record);
                return {
                    jobName,
                    attached: false,
                    alreadyEnded: outcomeFromRecord(record, jobDir(jobName), now()),
                };
            }
            if (record)
                log.info(`Local training job ${jobName} ended ${record.status} before: starting it again (resumes from its checkpoints)`);
            launching.add(jobDir(jobName));
            try {
                await start(config, image, dataset.input);
            }
            finally {
                launching.delete(jobDir(jobName));
            }
            return { jobName, attached: false };
        },
        async wait(jobName) {
            const dir = jobDir(jobName);
            let record = await requireRecord(jobName);
            if (!isActive(record.status))
                return outcomeFromRecord(record, dir, now());
            // Each poll's lines go out as one block (one fence when any of them needs it).
            const batch = (0,untrusted/* lineBatch */.Hp)((block) => (log.untrusted ? log.untrusted(block) : log.info(block)));
            const tail = tailFile(external_node_path_default().join(dir, LOG), record.logOffset, batch.add, batch.flush);
            const waitStart = now();
            let killed = false;
            for (;;) {
                await tail.poll();
                record = (await readRecord(jobName)) ?? record;
                if (!isActive(record.status)) {
                    await tail.flush();
                    return outcomeFromRecord(record, dir, now()); // finalized elsewhere (stop from another process)
                }
                if (!isAlive(record)) {
                    await tail.flush();
                    return finalize(jobName);
                }
                const t = now();
                if (!record.stopRequested && t - record.startedAt > record.maxRuntimeSeconds * 1000) {
                    log.warning(`Local training job ${jobName} exceeded max-runtime (${record.maxRuntimeSeconds} s): stopping it`);
                    record = await requestStop(record, 'MaxRuntimeExceeded');
                }
                else if (!killed && record.stopRequestedAt && t - record.stopRequestedAt > graceMs) {
                    killJob(record);
                    killed = true;
                }
                if (t - waitStart > record.waitTimeoutSeconds * 1000) {
                    return { ...outcomeFromRecord(record, dir, t), timedOut: true };
                }
                await sleep(pollMs);
            }
        },
        async describe(jobName) {
            const record = await requireRecord(jobName);
            // A job whose process is gone but was never finalized (its launcher exited): settle it now.
            if (isActive(record.status) && !isAlive(record))
                return finalize(jobName);
            return outcomeFromRecord(record, jobDir(jobName), now());
        },
    };
}

;// CONCATENATED MODULE: ./src/training/logs.ts
// Tails a training job's CloudWatch log into the action log while it is polled. Streams are
// `<job>/algo-<host>-<epoch>` in /aws/sagemaker/TrainingJobs; they appear only once the
// container starts, and a spot restart adds a new one, so the stream list is re-read each poll.


const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
/** `job/algo-1-1700000000` -> `algo-1`. */
function hostOfStream(jobName, stream) {
    const rest = stream.startsWith(`${jobName}/`) ? stream.slice(jobName.length + 1) : stream;
    return rest.replace(/-\d+$/, '');
}
function isMissing(error) {
    return error?.name === 'ResourceNotFoundException';
}
class TrainingLogTailer {
    client;
    jobName;
    tokens = new Map();
    options;
    constructor(client, jobName, options) {
        this.client = client;
        this.jobName = jobName;
        this.options = { maxPagesPerStream: 5, maxStreamPages: 5, ...options };
    }
    /** Streams seen so far, in the order they were found. */
    get streams() {
        return [...this.tokens.keys()];
    }
    /** Writes the lines logged since the last call; returns how many. */
    async poll() {
        await this.discoverStreams();
        const names = this.streams;
        const prefix = names.length > 1;
        let written = 0;
        for (const stream of names) {
            written += await this.drain(stream, prefix ? `[${hostOfStream(this.jobName, stream)}] ` : '');
        }
        return written;
    }
    async discoverStreams() {
        let nextToken;
        for (let page = 0; page < this.options.maxStreamPages; page++) {
            let res;
            try {
                res = await (0,src_retry/* withRetry */.bD)(() => this.client.send(new client_cloudwatch_logs_dist_cjs/* DescribeLogStreamsCommand */.w$R({
                    logGroupName: TRAINING_LOG_GROUP,
                    logStreamNamePrefix: `${this.jobName}/`,
                    ...(nextToken ? { nextToken } : {}),
                })), this.options.retry);
            }
            catch (error) {
                if (isMissing(error))
                    return; // no job has logged in this account/region yet
                throw error;
            }
            for (const s of res.logStreams ?? []) {
                if (s.logStreamName && !this.tokens.has(s.logStreamName)) {
                    this.tokens.set(s.logStreamName, undefined);
                }
            }
            nextToken = res.nextToken;
            if (!nextToken)
                return;
        }
    }
    async drain(stream, prefix) {
        let written = 0;
        for (let page = 0; page < this.options.maxPagesPerStream; page++) {
            const token = this.tokens.get(stream);
            const res = await (0,src_retry/* withRetry */.bD)(() => this.client.send(new client_cloudwatch_logs_dist_cjs/* GetLogEventsCommand */.h7S({
                logGroupName: TRAINING_LOG_GROUP,
                logStreamName: stream,
                startFromHead: true,
                ...(token ? { nextToken: token } : {}),
            })), this.options.retry);
            for (const event of res.events ?? []) {
                const message = (event.message ?? '').replace(/\r?\n$/, '');
                this.options.write(`${prefix}${message}`);
                written++;
            }
            // The same forward token back means the end of the stream for now.
            const next = res.nextForwardToken;
            const done = !next || next === token;
            if (next)
                this.tokens.set(stream, next);
            if (done || (res.events ?? []).length === 0)
                break;
        }
        return written;
    }
}

;// CONCATENATED MODULE: ./src/training/sagemaker.ts
// Thin I/O over SageMakerClient: start (or attach to) a training job, poll it to the end, stop it.
// Every wait goes through an injectable sleep/clock so lifecycle tests run in milliseconds.







function consoleUrl(region, jobName) {
    return `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/jobs/${jobName}`;
}
/** AWS answers a missing job with ValidationException "Requested resource not found"; moto says "Could not find". */
function isNotFoundError(error) {
    const name = (0,errors/* errorName */.I)(error);
    if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException')
        return true;
    return (name === 'ValidationException' &&
        /not found|could not find|does not exist/i.test((0,errors/* errorMessage */.g)(error)));
}
/** The caller's credentials ran out (static session credentials are never renewed). */
function isExpiredCredentialsError(error) {
    const name = (0,errors/* errorName */.I)(error);
    return name === 'ExpiredToken' || name === 'ExpiredTokenException';
}
/** What to do when the credentials expire mid-wait: the job itself is unaffected. Pure. */
function expiredCredentialsMessage(jobName, url, errorCode) {
    return (`The AWS credentials expired while waiting for training job ${jobName} (${errorCode}): ` +
        'credentials from the environment (such as those aws-actions/configure-aws-credentials exports) are never renewed. ' +
        `The job keeps running: ${url}. When it has ended, gate and report it with \`sagemaker-yolo report ${jobName}\` ` +
        '(add --pr <number> to update the pull request comment). To wait longer, set role-to-assume so the action renews its own credentials, ' +
        'or start jobs with wait: false.');
}
/** Pure: what the rest of the pipeline needs from a DescribeTrainingJob response. */
function describeToOutcome(desc, region) {
    const jobName = desc.TrainingJobName ?? '';
    const finalMetrics = {};
    for (const m of desc.FinalMetricDataList ?? []) {
        if (m.MetricName && typeof m.Value === 'number' && Number.isFinite(m.Value)) {
            finalMetrics[m.MetricName] = m.Value;
        }
    }
    const modelArtifactsUri = desc.ModelArtifacts?.S3ModelArtifacts || undefined;
    let outputDataUri;
    if (modelArtifactsUri) {
        outputDataUri = modelArtifactsUri.replace(/[^/]*$/, 'output.tar.gz');
    }
    else if (desc.OutputDataConfig?.S3OutputPath && jobName) {
        // Failed jobs may have no model but still upload /opt/ml/output/data.
        const base = desc.OutputDataConfig.S3OutputPath.replace(/\/*$/, '/');
        outputDataUri = `${base}${jobName}/output/output.tar.gz`;
    }
    const secondary = desc.SecondaryStatus;
    return {
        jobName,
        status: desc.TrainingJobStatus ?? 'Unknown',
        ...(secondary ? { secondaryStatus: secondary } : {}),
        ...(desc.FailureReason ? { failureReason: desc.FailureReason } : {}),
        ...(modelArtifactsUri ? { modelArtifactsUri } : {}),
        ...(outputDataUri ? { outputDataUri } : {}),
        ...(desc.TrainingTimeInSeconds !== undefined
            ? { trainingSeconds: desc.TrainingTimeInSeconds }
            : {}),
        ...(desc.BillableTimeInSeconds !== undefined
            ? { billableSeconds: desc.BillableTimeInSeconds }
            : {}),
        finalMetrics,
        instanceType: desc.ResourceConfig?.InstanceType ?? 'unknown',
        instanceCount: desc.ResourceConfig?.InstanceCount ?? 1,
        spot: desc.EnableManagedSpotTraining ?? false,
        consoleUrl: consoleUrl(region, jobName),
        region,
        ...(secondary === 'MaxRuntimeExceeded' || secondary === 'MaxWaitTimeExceeded'
            ? { limitExceeded: secondary }
            : {}),
        ...spotCounts(desc),
        ...(desc.WarmPoolStatus?.ResourceRetainedBillableTimeInSeconds !== undefined
            ? { warmPoolRetainedSeconds: desc.WarmPoolStatus.ResourceRetainedBillableTimeInSeconds }
            : {}),
    };
}
/** Interruptions and restarts in the job's transition history (the whole run, not just our polls). */
function spotCounts(desc) {
    if (!desc.EnableManagedSpotTraining)
        return {};
    const transitions = desc.SecondaryStatusTransitions ?? [];
    return {
        spotInterruptions: transitions.filter((t) => t.Status === 'Interrupted').length,
        spotRestarts: transitions.filter((t) => t.Status === 'Restarting').length,
    };
}
/** Statuses before any instance is billed. */
const UNBILLED_SECONDARY = new Set(['Starting', 'Pending']);
/**
 * When the job's instances started billing: TrainingStartTime, else the first transition past
 * Starting (some responses carry only transitions). Milliseconds, or undefined before that.
 */
function billingStartMs(desc) {
    const start = desc.TrainingStartTime;
    if (start !== undefined) {
        const ms = new Date(start).getTime();
        if (Number.isFinite(ms))
            return ms;
    }
    for (const t of desc.SecondaryStatusTransitions ?? []) {
        if (t.Status && !UNBILLED_SECONDARY.has(t.Status) && t.StartTime !== undefined) {
            const ms = new Date(t.StartTime).getTime();
            if (Number.isFinite(ms))
                return ms;
        }
    }
    return undefined;
}
/** `<base>-r<n>`, base shortened so the result stays a valid name of at most 63 characters. */
/** The same request under another name; its per-job checkpoint dir follows the name. */
function withJobName(request, jobName) {
    const old = request.TrainingJobName ?? '';
    const checkpoint = request.CheckpointConfig;
    const suffix = `/${old}/`;
    return {
        ...request,
        TrainingJobName: jobName,
        ...(checkpoint?.S3Uri && old && checkpoint.S3Uri.endsWith(suffix)
            ? {
                CheckpointConfig: {
                    ...checkpoint,
                    S3Uri: `${checkpoint.S3Uri.slice(0, -suffix.length)}/${jobName}/`,
                },
            }
            : {}),
    };
}
async function regionOf(client, region) {
    if (region)
        return region;
    const r = client.config.region;
    return typeof r === 'function' ? await r() : String(r);
}
async function describeJob(client, jobName, retry) {
    try {
        return await (0,src_retry/* withRetry */.bD)(() => client.send(new dist_cjs/* DescribeTrainingJobCommand */.Sjt({ TrainingJobName: jobName })), retry);
    }
    catch (error) {
        if (isNotFoundError(error))
            return undefined;
        throw error;
    }
}
/** What makes two jobs the same training: image, hyperparameters and data. Pure. */
function trainingDifferences(existing, request) {
    const channels = (list = []) => JSON.stringify(list.map((c) => [c.ChannelName, c.DataSource?.S3DataSource?.S3Uri]).sort());
    const sorted = (h = {}) => JSON.stringify(Object.entries(h).sort());
    const differences = [];
    if (existing.AlgorithmSpecification?.TrainingImage !== request.AlgorithmSpecification?.TrainingImage) {
        differences.push('image');
    }
    if (sorted(existing.HyperParameters) !== sorted(request.HyperParameters))
        differences.push('hyperparameters');
    if (channels(existing.InputDataConfig) !== channels(request.InputDataConfig))
        differences.push('data');
    return differences;
}
/**
 * Re-run safety. A job with this name may exist from an earlier attempt of the same run:
 * in progress -> attach; completed -> report it; failed/stopped -> a fresh `-rN` job (derived
 * names only; SageMaker names are unique for good, so an explicit name cannot be reused).
 */
async function startOrAttach(client, request, options) {
    const { log } = options;
    const retry = {
        ...options.retry,
        onRetry: ({ attempt, delayMs, error }) => log.info(`SageMaker call failed (${(0,errors/* errorName */.I)(error) || (0,errors/* errorMessage */.g)(error)}), attempt ${attempt}; retrying in ${delayMs} ms`),
    };
    const base = request.TrainingJobName ?? '';
    const maxSuffix = options.maxSuffix ?? 50;
    const region = await regionOf(client, options.region);
    const triedCreate = new Set();
    for (let n = 1; n <= maxSuffix; n++) {
        const name = n === 1 ? base : (0,jobname/* suffixJobName */.iQ)(base, n);
        const candidate = withJobName(request, name);
        // Two passes: a create that loses a race (ResourceInUse) looks again at what won.
        for (let pass = 0; pass < 2; pass++) {
            const existing = await describeJob(client, name, retry);
            if (!existing) {
                validateRequest(candidate);
                triedCreate.add(name);
                try {
                    await (0,src_retry/* withRetry */.bD)(() => client.send(new dist_cjs/* CreateTrainingJobCommand */.jkj(candidate)), retry);
                }
                catch (error) {
                    if ((0,errors/* errorName */.I)(error) === 'ResourceInUse' && pass === 0)
                        continue;
                    throw error;
                }
                log.info(`Started training job ${name}: ${consoleUrl(region, name)}`);
                return { jobName: name, attached: false, request: candidate };
            }
            const status = existing.TrainingJobStatus;
            // Our own create may have succeeded before a retry saw ResourceInUse.
            const ours = triedCreate.has(name);
            if (status === 'Completed') {
                const changed = options.derivedName ? [] : trainingDifferences(existing, candidate);
                if (changed.length > 0) {
                    // A fixed job-name reused for new data or settings (say, a nightly workflow): reporting
                    // the old model would pass a gate the new data never met.
                    throw new Error(`Training job ${name} already exists (Completed) with different ${changed.join(', ')}. ` +
                        'SageMaker job names cannot be reused: set a new job-name, or leave it empty to derive one per run.');
                }
                log.info(`Training job ${name} already completed; reporting it without retraining.`);
                return {
                    jobName: name,
                    attached: !ours,
                    alreadyEnded: describeToOutcome(existing, region),
                    request: candidate,
                };
            }
            if (status === 'Failed' || status === 'Stopped') {
                if (!options.derivedName) {
                    throw new Error(`Training job ${name} already exists and ended ${status}` +
                        `${existing.FailureReason ? ` (${existing.FailureReason})` : ''}. ` +
                        'SageMaker job names are unique per account and region and cannot be reused: ' +
                        'set a new job-name, or leave it empty to derive one that re-runs get suffixed.');
                }
                log.info(`Training job ${name} ended ${status}; starting a fresh job under a new name.`);
                break;
            }
            // InProgress, Stopping, or a status this code does not know yet: the job is not ours to restart.
            if (!isActiveStatus(status)) {
                log.warning(`Training job ${name} has unexpected status ${status}; attaching to it.`);
            }
            else if (!ours) {
                log.info(`Training job ${name} is already ${status}; attaching to it instead of starting another.`);
            }
            return { jobName: name, attached: !ours, request: candidate };
        }
    }
    throw new Error(`Training jobs ${base} to ${(0,jobname/* suffixJobName */.iQ)(base, maxSuffix)} all ended Failed or Stopped; ` +
        'fix the cause or set a new job-name.');
}
const WARN_STATUSES = new Set(['Interrupted', 'MaxRuntimeExceeded', 'MaxWaitTimeExceeded']);
/** Polls DescribeTrainingJob until the job ends or the timeout passes. */
async function pollTrainingJob(client, jobName, options) {
    const { log } = options;
    const sleep = options.sleep ?? src_retry/* realSleep */.uk;
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    const initialDelay = options.initialDelayMs ?? 5_000;
    const maxDelay = options.maxDelayMs ?? 60_000;
    const factor = options.factor ?? 1.5;
    const region = await regionOf(client, options.region);
    const deadline = now() + options.timeoutMs;
    const state = newTransitionState();
    const retry = {
        attempts: 4,
        baseMs: 1_000,
        capMs: 20_000,
        ...options.retry,
        sleep,
        random,
        // No point retrying past the overall deadline.
        isRetryable: (error) => (0,src_retry/* isTransientAwsError */.Sc)(error) && now() < deadline,
        onRetry: ({ error, delayMs }) => log.info(`DescribeTrainingJob: ${(0,errors/* errorName */.I)(error) || (0,errors/* errorMessage */.g)(error)}; retrying in ${delayMs} ms`),
    };
    let delay = initialDelay;
    let last;
    let lastSecondary;
    let failing = false;
    let onPollFailed = false;
    let capStop;
    const runOnPoll = async () => {
        if (!options.onPoll)
            return;
        try {
            await options.onPoll();
        }
        catch (error) {
            if (!onPollFailed)
                log.warning(`Could not follow the training log: ${(0,errors/* errorMessage */.g)(error)}`);
            onPollFailed = true;
        }
    };
    for (;;) {
        let desc;
        try {
            desc = await (0,src_retry/* withRetry */.bD)(() => client.send(new dist_cjs/* DescribeTrainingJobCommand */.Sjt({ TrainingJobName: jobName })), retry);
            if (failing)
                log.info('DescribeTrainingJob answers again.');
            failing = false;
        }
        catch (error) {
            if (isExpiredCredentialsError(error)) {
                // Not a failure of the job: say so and leave it running (no SDK stack).
                const known = last ?? { TrainingJobName: jobName };
                const outcome = { ...describeToOutcome(known, region), credentialsExpired: true };
                log.error(expiredCredentialsMessage(jobName, outcome.consoleUrl, (0,errors/* errorName */.I)(error)));
                return outcome;
            }
            // A long outage must not end the wait (the post step would stop a healthy job);
            // only errors that no retry can fix (access denied) do.
            if (!(0,src_retry/* isTransientAwsError */.Sc)(error))
                throw error;
            if (!last && now() >= deadline)
                throw error;
            if (!failing) {
                log.warning(`DescribeTrainingJob keeps failing (${(0,errors/* errorName */.I)(error) || (0,errors/* errorMessage */.g)(error)}); still waiting for ${jobName}.`);
            }
            failing = true;
        }
        if (desc) {
            last = desc;
            let events = takeNewTransitions(state, desc.SecondaryStatusTransitions, desc.CreationTime);
            // Some endpoints (and jobs not yet started) report no transitions: fall back on the status.
            if (!desc.SecondaryStatusTransitions?.length && desc.SecondaryStatus) {
                events =
                    desc.SecondaryStatus !== lastSecondary
                        ? [{ status: desc.SecondaryStatus, update: false }]
                        : [];
            }
            lastSecondary = desc.SecondaryStatus;
            for (const event of events) {
                const line = formatTransition(event);
                if (!event.update && WARN_STATUSES.has(event.status))
                    log.warning(`${jobName}: ${line}`);
                else
                    log.info(line);
                options.onTransition?.(event);
            }
            if (events.some((e) => !e.update))
                delay = initialDelay;
            await runOnPoll();
            if (isTerminalStatus(desc.TrainingJobStatus)) {
                const outcome = {
                    ...describeToOutcome(desc, region),
                    ...(capStop ? { costCapStop: capStop } : {}),
                };
                log.info(formatOutcome(outcome));
                if (outcome.status === 'Failed') {
                    log.error(`Training job ${jobName} failed: ${outcome.failureReason ?? 'no reason given'}`);
                }
                return outcome;
            }
            const plan = options.costCap;
            const started = billingStartMs(desc);
            if (plan && !capStop && desc.TrainingJobStatus === 'InProgress' && started !== undefined) {
                const estimatedUsd = runningCostUsd((now() - started) / 1000, plan);
                if (estimatedUsd >= plan.stopAtUsd) {
                    log.error(`${jobName}: estimated cost ${formatUsd(estimatedUsd)} reached the max-cost stop point ` +
                        `${formatUsd(plan.stopAtUsd)} (max-cost ${formatUsd(plan.maxCostUsd)} less the time a stop takes); stopping the job.`);
                    const stop = await stopTrainingJob(client, jobName, log, { sleep, random });
                    // A stop that failed (it warned) is tried again at the next poll; a job that already
                    // ended on its own was not stopped by the cap.
                    if (stop.action === 'stop-requested') {
                        capStop = { maxCostUsd: plan.maxCostUsd, estimatedUsd };
                    }
                    delay = initialDelay;
                }
            }
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            // `last` is set: the no-response case threw above.
            const outcome = {
                ...describeToOutcome(last, region),
                ...(capStop ? { costCapStop: capStop } : {}),
                timedOut: true,
            };
            log.warning(`Stopped waiting for ${jobName} after ${Math.round(options.timeoutMs / 1000)} s; ` +
                `it is still ${outcome.status}${outcome.secondaryStatus ? ` (${outcome.secondaryStatus})` : ''}: ${outcome.consoleUrl}`);
            return outcome;
        }
        // ±10% jitter so parallel runs do not poll in lockstep; never sleep past the deadline.
        const jittered = delay * (0.9 + 0.2 * random());
        await sleep(Math.max(0, Math.min(jittered, remaining)));
        delay = Math.min(maxDelay, delay * factor);
    }
}
/** Best effort (used by the post step on cancellation): never throws, says what happened. */
async function stopTrainingJob(client, jobName, log, retry = {}) {
    if (!jobname/* JOB_NAME_PATTERN */.PQ.test(jobName)) {
        const message = `Not stopping "${jobName}": not a valid training job name.`;
        log.warning(message);
        return { action: 'failed', message };
    }
    try {
        await (0,src_retry/* withRetry */.bD)(() => client.send(new dist_cjs/* StopTrainingJobCommand */.JxN({ TrainingJobName: jobName })), retry);
        const message = `Requested stop of training job ${jobName}; SageMaker gives the container 120 s to save a checkpoint.`;
        log.info(message);
        return { action: 'stop-requested', message };
    }
    catch (error) {
        if (isNotFoundError(error)) {
            const message = `Training job ${jobName} does not exist; nothing to stop.`;
            log.info(message);
            return { action: 'not-found', message };
        }
        if ((0,errors/* errorName */.I)(error) === 'ValidationException') {
            // e.g. "The request was rejected because the training job is in status Completed."
            const message = `Training job ${jobName} was not stopped: ${(0,errors/* errorMessage */.g)(error)}`;
            log.info(message);
            return { action: 'already-ended', message };
        }
        const message = `Could not stop training job ${jobName}: ${(0,errors/* errorName */.I)(error) || 'error'}: ${(0,errors/* errorMessage */.g)(error)}`;
        log.warning(message);
        return { action: 'failed', message };
    }
}

;// CONCATENATED MODULE: ./src/training/sagemaker-backend.ts







class CostCapError extends Error {
    name = 'CostCapError';
}
/** Refuses (throws) before any job starts when max-cost does not allow it; else the stop plan. */
async function planCostCap(config, price, log) {
    if (config.maxCostUsd === undefined)
        return undefined;
    const decision = decideMaxCost({
        maxCostUsd: config.maxCostUsd,
        price: await price(),
        instanceType: config.instanceType,
        region: config.region,
        instanceCount: config.instanceCount,
        maxRuntimeSeconds: config.maxRuntimeSeconds,
        wait: config.wait,
        waitTimeoutSeconds: config.waitTimeoutSeconds,
    });
    if (decision.action === 'refuse')
        throw new CostCapError(`max-cost: ${decision.message}`);
    log.info(`max-cost: ${decision.message}`);
    return decision.plan;
}
function createSageMakerBackend(deps) {
    const { sagemaker, region, log } = deps;
    let costCap;
    const costed = async (outcome) => deps.price ? withCost(outcome, await deps.price()) : outcome;
    return {
        kind: 'sagemaker',
        async launch(config, image, dataset) {
            if (deps.price)
                costCap = await planCostCap(config, deps.price, log);
            const request = buildTrainingJobRequest({
                config,
                imageUri: image.imageUri,
                dataset: dataset.input,
                hyperparameters: (0,src_hyperparameters/* hyperparametersToStrings */.W1)(config.hyperparameters),
                metricDefinitions: metricDefinitionsFromFile(),
                jobName: config.jobName,
            });
            const result = await startOrAttach(sagemaker, request, {
                derivedName: !config.jobNameExplicit,
                log,
                region,
            });
            return {
                jobName: result.jobName,
                attached: result.attached,
                ...(result.alreadyEnded ? { alreadyEnded: await costed(result.alreadyEnded) } : {}),
            };
        },
        async wait(jobName) {
            // Each poll's lines go out as one block (one fence when any of them needs it).
            const batch = (0,untrusted/* lineBatch */.Hp)((block) => (log.untrusted ? log.untrusted(block) : log.info(block)));
            const tailer = deps.logs
                ? new TrainingLogTailer(deps.logs, jobName, { write: batch.add })
                : undefined;
            return costed(await pollTrainingJob(sagemaker, jobName, {
                log,
                region,
                timeoutMs: deps.timeoutMs,
                ...(deps.sleep ? { sleep: deps.sleep } : {}),
                ...(deps.now ? { now: deps.now } : {}),
                ...(tailer
                    ? {
                        onPoll: async () => {
                            try {
                                return await tailer.poll();
                            }
                            finally {
                                batch.flush();
                            }
                        },
                    }
                    : {}),
                ...(costCap ? { costCap } : {}),
            }));
        },
        async describe(jobName) {
            const desc = await sagemaker.send(new dist_cjs/* DescribeTrainingJobCommand */.Sjt({ TrainingJobName: jobName }));
            return costed(describeToOutcome(desc, region));
        },
    };
}

;// CONCATENATED MODULE: ./src/stages.ts
// Wires the stage functions of pipeline.ts to real clients. Shared by the action (main.ts) and the
// CLI (cli.ts); only the logger and the report sink differ between them.




















/** `docker info` exits 0 only when a daemon answers (the client alone is not enough). */
function dockerDaemonAnswers() {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }, (error) => resolve(!error));
    });
}
class DatasetInvalidError extends Error {
    name = 'DatasetInvalidError';
}
/** PR runs compare with the base branch's last snapshot; branch runs record theirs. */
async function baseBranchDiff(deps, config, head) {
    const branch = config.context.baseRef;
    if (!branch)
        return undefined;
    try {
        const base = await (0,branches/* loadBranchSnapshot */.rZ)(deps.clients.s3, {
            bucket: config.bucket,
            prefix: config.prefix,
            branch,
        });
        return base ? diffSnapshots(base, head) : undefined;
    }
    catch (error) {
        // The diff is information for the comment; a damaged pointer must not stop the training.
        deps.log.warning(`No dataset diff against ${branch}: ${(0,errors/* errorMessage */.g)(error)}`);
        return undefined;
    }
}
/** The branch whose baseline this run records: workflow runs on a branch, never PRs or terminals. */
function branchOf(config) {
    const { eventName, ref } = config.context;
    // A terminal's checkout may hold uncommitted edits: it must not become a branch's baseline.
    if (eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'cli') {
        return undefined;
    }
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
function trainingBackendFor(config, deps) {
    if (deps.training)
        return deps.training;
    if (config.instanceType === 'local') {
        return createLocalBackend({ s3: deps.clients.s3, log: deps.log, actionRoot: deps.actionRoot });
    }
    return createSageMakerBackend({
        sagemaker: deps.clients.sagemaker,
        logs: deps.clients.logs,
        region: config.region,
        log: deps.log,
        timeoutMs: config.waitTimeoutSeconds * 1000,
        price: createPriceSource({
            instanceType: config.instanceType,
            region: config.region,
            ...(config.instancePriceUsd !== undefined ? { override: config.instancePriceUsd } : {}),
            ...(deps.clients.pricing ? { live: priceListLookup(deps.clients.pricing) } : {}),
            note: (m) => deps.log.info(m),
        }),
    });
}
function createStages(config, deps) {
    const { log } = deps;
    // validate and sync walk the same tree: keep the inspection for the sync's per-split table.
    let inspection;
    let shortcuts;
    return {
        async validateDataset(cfg) {
            // The branch's (or PR base's) last sync cache and git's index: files git vouches for and
            // files already judged are neither read nor parsed again. Only lost shortcuts when
            // unavailable: every file is then read and checked.
            const knownFrom = branchOf(cfg) ?? cfg.context.baseRef;
            shortcuts = await (0,sync_shortcuts/* loadSyncShortcuts */.D9)(deps.clients.s3, {
                datasetPath: cfg.dataset,
                ...(knownFrom
                    ? { branch: { bucket: cfg.bucket, prefix: cfg.prefix, branch: knownFrom } }
                    : {}),
                warn: (m) => log.warning(m),
            });
            inspection = await (0,validate/* inspectDataset */.ds)(cfg.dataset, {
                task: cfg.task,
                maxDropped: cfg.maxDroppedImages,
                ...(shortcuts.cache ? { cache: shortcuts.cache } : {}),
                knownHashes: shortcuts.knownHashes,
                ...(shortcuts.gitFormat ? { gitFormat: shortcuts.gitFormat } : {}),
            });
            const { report } = inspection;
            for (const annotation of (0,dataset_report/* toAnnotations */.gI)(report))
                log.annotate(annotation);
            log.info((0,dataset_report/* formatValidationSummary */.hX)(report));
            if (report.errors > 0) {
                throw new DatasetInvalidError(`dataset ${JSON.stringify(cfg.dataset)} has ${report.errors} error(s); fix them before training (nothing was uploaded).`);
            }
        },
        async prepareDataset(cfg) {
            // What the upload needs of the inspection and the shortcuts, taken now; both are let go
            // before it starts (see prepareSync).
            const report = inspection?.report;
            const prepared = inspection && shortcuts
                ? await (0,sync_shortcuts/* prepareSync */.Z$)(cfg.dataset, inspection, shortcuts, {
                    task: cfg.task,
                    onProgress: (0,progress/* hashProgressLogger */.mH)((line) => log.info(line)),
                })
                : undefined;
            inspection = undefined;
            shortcuts = undefined;
            // Validation's maps are garbage now: their pages go back before thousands of requests.
            (0,heap/* returnFreedHeap */.FK)();
            const snapshot = prepared?.snapshot ??
                (await (0,dataset_snapshot/* buildSnapshot */.tX)(cfg.dataset, {
                    task: cfg.task,
                    onProgress: (0,progress/* hashProgressLogger */.mH)((line) => log.info(line)),
                }));
            const stats = report ? (0,dataset_report/* datasetStats */.kG)(report) : undefined;
            const dropped = report ? (0,dataset_report/* droppedImages */.Fd)(report, cfg.maxDroppedImages) : undefined;
            // The branch's own last snapshot (branch runs) or the base branch's (PRs) names blobs that
            // are stored already: only the rest are checked, whatever the bucket holds besides.
            const knownFrom = branchOf(cfg) ?? cfg.context.baseRef;
            const result = await (0,sync/* syncSnapshot */.OV)(deps.clients.s3, {
                bucket: cfg.bucket,
                prefix: cfg.prefix,
                snapshot,
                ...(knownFrom
                    ? {
                        knownBlobs: (0,branches/* branchBlobsLoader */.mY)(deps.clients.s3, { bucket: cfg.bucket, prefix: cfg.prefix, branch: knownFrom }, (m) => log.warning(m)),
                    }
                    : {}),
                onProgress: (0,progress/* progressLogger */.St)((line) => log.info(line)),
                ...(prepared ? { splits: prepared.splits } : {}),
                ...(stats ? { stats } : {}),
            });
            log.info((0,sync/* formatSyncTable */.re)(result));
            if (prepared)
                log.info(prepared.shortcutsLine);
            if (prepared?.cacheToStore) {
                try {
                    await (0,sync_cache/* storeSyncCache */.Dp)(deps.clients.s3, {
                        bucket: cfg.bucket,
                        prefix: cfg.prefix,
                        fingerprint: result.fingerprint,
                        encoded: prepared.cacheToStore,
                    });
                }
                catch (error) {
                    log.warning(`Could not store the sync cache: ${(0,errors/* errorMessage */.g)(error)}`);
                }
            }
            const diff = await baseBranchDiff(deps, cfg, {
                files: snapshot.files,
                ...(stats ? { stats } : {}),
            });
            if (diff)
                log.info(describeDiff(diff));
            const branch = branchOf(cfg);
            if (branch) {
                try {
                    await (0,branches/* recordBranchSnapshot */.YT)(deps.clients.s3, {
                        bucket: cfg.bucket,
                        prefix: cfg.prefix,
                        branch,
                        fingerprint: result.fingerprint,
                        sha: cfg.context.sha,
                    });
                }
                catch (error) {
                    // The pointer only feeds later PR diffs; it must not stop this training.
                    log.warning(`Could not record ${branch}'s dataset snapshot: ${(0,errors/* errorMessage */.g)(error)}`);
                }
            }
            return {
                ref: {
                    uri: result.datasetUri,
                    snapshot: result.fingerprint,
                    ...(diff ? { diff } : {}),
                    ...(dropped ? { dropped } : {}),
                },
                input: {
                    kind: 'snapshot',
                    manifestUri: result.datasetUri,
                    snapshotUri: result.snapshotUri,
                    fingerprint: result.fingerprint,
                },
            };
        },
        async resolveImage(cfg) {
            const imageDeps = {
                ecr: deps.clients.ecr,
                log,
                // The CLI passes none: outside Actions a mask command would only print the secret.
                mask: deps.mask ?? (() => { }),
                ...(deps.docker ? { docker: deps.docker } : {}),
            };
            if (cfg.instanceType !== 'local' || cfg.imageUri)
                return (0,build.resolveTrainingImage)(imageDeps, cfg);
            // Local runs need no registry: build into the local daemon when one answers, else run the
            // entrypoint straight from training-container/ in .venv.
            if (!(await (deps.dockerDaemonAnswers ?? dockerDaemonAnswers)())) {
                log.info('No Docker daemon answers: skipping the image build; the local backend runs training-container/train.py in a Python environment.');
                return { imageUri: '', tag: '', built: false };
            }
            return (0,build.resolveTrainingImage)(imageDeps, { ...cfg, push: false });
        },
        training: trainingBackendFor(config, deps),
        readMetrics: (outcome) => readJobMetrics(deps.clients.s3, outcome, { log: (m) => log.info(m), task: config.task }),
        deliverModel: (outcome) => deliverModel({
            s3: deps.clients.s3,
            log,
            ...(deps.publishArtifact ? { publish: deps.publishArtifact } : {}),
        }, config, outcome),
        report: (input) => deps.report(input),
        model: createModelStages(config, {
            s3: deps.clients.s3,
            sagemaker: deps.clients.sagemaker,
            log,
        }),
    };
}

;// CONCATENATED MODULE: ./src/cli/pipeline-modules.ts
// The modules behind train, report, image, status, stop and logs, gathered so program.ts loads them
// with one dynamic import when such a command runs (see loadPipeline there).




















/***/ })

};
