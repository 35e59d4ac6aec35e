// Locked-down account settings on the wire: the request buildTrainingJobRequest makes from the
// inputs is accepted by moto's SageMaker and reads back with VPC, KMS keys, isolation, encryption
// and input mode intact. moto forgets RetryStrategy, Environment and ProfilerConfig, so those are
// checked in the CreateTrainingJob body a recording proxy saw on its way to moto.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeTrainingJobCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { readConfig } from '../../src/config.js';
import { buildTrainingJobRequest, metricDefinitionsFromFile } from '../../src/training/request.js';
import { startOrAttach } from '../../src/training/sagemaker.js';
import { PR_CONTEXT } from '../helpers/config.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { IMAGE, recordingLog } from './fixtures.js';

let moto: Moto;
let proxy: RecordingProxy;
let client: SageMakerClient;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.endpoint);
  client = new SageMakerClient({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

/** The inputs as a workflow would give them, through the one config reader. */
const INPUTS: Record<string, string> = {
  role: 'arn:aws:iam::123456789012:role/SageMakerYoloExecutionRole',
  bucket: 'floorplans-ml',
  'aws-region': 'us-east-1',
  spot: 'false',
  'job-name': 'locked-down-1',
  subnets: 'subnet-0a1b2c3d,subnet-0e1f2a3b',
  'security-group-ids': 'sg-0123abcd',
  'volume-kms-key': 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'output-kms-key': 'alias/training-output',
  'network-isolation': 'true',
  'encrypt-inter-container-traffic': 'true',
  tags: 'cost-center=ml-42\nowner=floorplans team',
  environment: 'MY_FLAG=1\nNCCL_DEBUG=WARN',
  'retry-attempts': '2',
  'input-mode': 'FastFile',
  'keep-alive-seconds': '900',
};

describe('locked-down account settings on the emulator', () => {
  it('CreateTrainingJob carries every setting; moto keeps what it stores, the wire shows the rest', async () => {
    const config = readConfig((name) => INPUTS[name] ?? '', {
      context: PR_CONTEXT,
      env: {},
      actionRoot: '/opt/action',
    });
    const fp = 'a'.repeat(64);
    const snapshots = 's3://floorplans-ml/yolo-training/datasets/snapshots';
    const request = buildTrainingJobRequest({
      config,
      imageUri: IMAGE,
      dataset: {
        kind: 'snapshot',
        manifestUri: `${snapshots}/${fp}.manifest`,
        snapshotUri: `${snapshots}/${fp}.json`,
        fingerprint: fp,
      },
      hyperparameters: { model: 'yolov8n.pt', epochs: '3' },
      metricDefinitions: metricDefinitionsFromFile(),
      jobName: config.jobName,
    });

    await startOrAttach(client, request, { derivedName: false, log: recordingLog() });

    const desc = await client.send(
      new DescribeTrainingJobCommand({ TrainingJobName: 'locked-down-1' }),
    );
    expect(desc.VpcConfig).toEqual({
      Subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
      SecurityGroupIds: ['sg-0123abcd'],
    });
    expect(desc.EnableNetworkIsolation).toBe(true);
    expect(desc.EnableInterContainerTrafficEncryption).toBe(true);
    expect(desc.OutputDataConfig?.KmsKeyId).toBe('alias/training-output');
    expect(desc.ResourceConfig).toMatchObject({
      VolumeKmsKeyId: INPUTS['volume-kms-key'],
      KeepAlivePeriodInSeconds: 900,
    });
    expect(desc.AlgorithmSpecification?.TrainingInputMode).toBe('FastFile');
    expect(desc.InputDataConfig?.map((c) => c.InputMode)).toEqual(['FastFile', 'FastFile']);
    expect(desc.EnableManagedSpotTraining).toBe(false);

    const tags = await client.send(new ListTagsCommand({ ResourceArn: desc.TrainingJobArn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'cost-center', Value: 'ml-42' },
        { Key: 'owner', Value: 'floorplans team' },
        { Key: 'sagemaker-yolo:tool', Value: 'sagemaker-yolo-action' },
      ]),
    );

    // What moto does not keep, as it went over the wire.
    const creates = proxy.requests.filter(
      (r) => r.headers['x-amz-target'] === 'SageMaker.CreateTrainingJob',
    );
    expect(creates).toHaveLength(1);
    const body = JSON.parse(creates[0]!.body) as Record<string, unknown>;
    expect(body.RetryStrategy).toEqual({ MaximumRetryAttempts: 2 });
    expect(body.Environment).toEqual({ MY_FLAG: '1', NCCL_DEBUG: 'WARN' });
    expect(body.ProfilerConfig).toEqual({ DisableProfiler: true });
  });
});
