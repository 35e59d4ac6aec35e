// Wire format: the request the builder makes is accepted by a real SageMaker API implementation
// (moto) and reads back unchanged. moto completes jobs at once; lifecycle paths live in lifecycle.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeTrainingJobCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startMoto, type Moto } from '../helpers/moto.js';
import { TRAINING_LOG_GROUP, TrainingLogTailer } from '../../src/training/logs.js';
import { buildTrainingJobRequest, metricDefinitionsFromFile } from '../../src/training/request.js';
import { pollTrainingJob, startOrAttach } from '../../src/training/sagemaker.js';
import { IMAGE, ROLE, fakeClock, makeConfig, recordingLog } from './fixtures.js';

let moto: Moto;
let client: SageMakerClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  moto = await startMoto();
  const common = {
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  client = new SageMakerClient(common);
  logs = new CloudWatchLogsClient(common);
});

afterAll(async () => {
  client?.destroy();
  logs?.destroy();
  await moto?.stop();
});

describe('CreateTrainingJob on the moto server', () => {
  it('creates the job from buildTrainingJobRequest and reads back the same request', async () => {
    const fp = 'f'.repeat(64);
    const snapshots = 's3://floorplans-ml/yolo-training/datasets/snapshots';
    const request = buildTrainingJobRequest({
      config: makeConfig(),
      imageUri: IMAGE,
      dataset: {
        kind: 'snapshot',
        manifestUri: `${snapshots}/${fp}.manifest`,
        snapshotUri: `${snapshots}/${fp}.json`,
        fingerprint: fp,
      },
      hyperparameters: { model: 'yolov8m.pt', epochs: '100', batch: '16', imgsz: '640' },
      metricDefinitions: metricDefinitionsFromFile(),
      jobName: 'floorplans-pr-12-abc1234',
    });
    const log = recordingLog();

    const started = await startOrAttach(client, request, { derivedName: true, log });
    expect(started).toMatchObject({ jobName: 'floorplans-pr-12-abc1234', attached: false });

    const desc = await client.send(
      new DescribeTrainingJobCommand({ TrainingJobName: 'floorplans-pr-12-abc1234' }),
    );
    expect(desc.RoleArn).toBe(ROLE);
    expect(desc.AlgorithmSpecification?.TrainingImage).toBe(IMAGE);
    expect(desc.AlgorithmSpecification?.TrainingInputMode).toBe('File');
    expect(desc.InputDataConfig).toEqual(request.InputDataConfig);
    expect(desc.HyperParameters).toEqual(request.HyperParameters);
    expect(desc.CheckpointConfig).toEqual(request.CheckpointConfig);
    expect(desc.OutputDataConfig?.S3OutputPath).toBe(request.OutputDataConfig?.S3OutputPath);
    expect(desc.ResourceConfig).toMatchObject(request.ResourceConfig ?? {});
    expect(desc.StoppingCondition).toEqual(request.StoppingCondition);
    expect(desc.EnableManagedSpotTraining).toBe(true);

    const tags = await client.send(new ListTagsCommand({ ResourceArn: desc.TrainingJobArn }));
    expect(tags.Tags).toEqual(expect.arrayContaining(request.Tags ?? []));

    // The S3 layout contract: SageMaker writes output/<job>/output/{model,output}.tar.gz.
    const clock = fakeClock();
    const outcome = await pollTrainingJob(client, started.jobName, {
      log,
      timeoutMs: 60_000,
      sleep: clock.sleep,
      now: clock.now,
    });
    expect(outcome).toMatchObject({
      status: 'Completed',
      modelArtifactsUri:
        's3://floorplans-ml/yolo-training/output/floorplans-pr-12-abc1234/output/model.tar.gz',
      outputDataUri:
        's3://floorplans-ml/yolo-training/output/floorplans-pr-12-abc1234/output/output.tar.gz',
      region: 'us-east-1',
    });

    // A re-run finds the completed job (moto's not-found is a ValidationException too) and reports it.
    const again = await startOrAttach(client, request, { derivedName: true, log });
    expect(again.attached).toBe(true);
    expect(again.alreadyEnded?.status).toBe('Completed');
  });
});

describe('TrainingLogTailer on the moto server', () => {
  it('reads the job streams from the SageMaker log group, each line once', async () => {
    const lines: string[] = [];
    const tailer = new TrainingLogTailer(logs, 'job-logs', { write: (l) => void lines.push(l) });
    expect(await tailer.poll()).toBe(0); // the group does not exist yet

    const stream = 'job-logs/algo-1-1700000000';
    await logs.send(new CreateLogGroupCommand({ logGroupName: TRAINING_LOG_GROUP }));
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: TRAINING_LOG_GROUP, logStreamName: stream }),
    );
    await logs.send(
      new CreateLogStreamCommand({
        logGroupName: TRAINING_LOG_GROUP,
        logStreamName: 'other-job/algo-1-1',
      }),
    );
    const put = (messages: string[]) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: TRAINING_LOG_GROUP,
          logStreamName: stream,
          logEvents: messages.map((message, i) => ({ message, timestamp: Date.now() + i })),
        }),
      );
    await put(['[yolo-metrics] epoch=1 map50=0.5', '[yolo-metrics] epoch=2 map50=0.6']);
    expect(await tailer.poll()).toBe(2);
    await put(['[yolo-metrics] epoch=3 map50=0.7']);
    expect(await tailer.poll()).toBe(1);
    expect(await tailer.poll()).toBe(0);
    expect(lines).toEqual([
      '[yolo-metrics] epoch=1 map50=0.5',
      '[yolo-metrics] epoch=2 map50=0.6',
      '[yolo-metrics] epoch=3 map50=0.7',
    ]);
    expect(tailer.streams).toEqual([stream]);
  });
});
