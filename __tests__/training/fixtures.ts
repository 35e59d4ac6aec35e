// Shared fixtures for the training tests: a valid Config and DescribeTrainingJob responses.
import type {
  DescribeTrainingJobResponse,
  SecondaryStatusTransition,
} from '@aws-sdk/client-sagemaker';
import { testConfig } from '../helpers/config.js';

export { ROLE } from '../helpers/config.js';
export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-train:abc123';

export const makeConfig = testConfig;

export const T0 = new Date('2025-01-01T10:00:00Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export function transition(
  status: string,
  startS: number,
  message?: string,
): SecondaryStatusTransition {
  return {
    Status: status as SecondaryStatusTransition['Status'],
    StartTime: at(startS),
    ...(message ? { StatusMessage: message } : {}),
  };
}

export function describeResponse(
  status: string,
  transitions: SecondaryStatusTransition[],
  extra: Partial<DescribeTrainingJobResponse> = {},
): DescribeTrainingJobResponse {
  return {
    TrainingJobName: 'job-1',
    TrainingJobArn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/job-1',
    TrainingJobStatus: status as DescribeTrainingJobResponse['TrainingJobStatus'],
    SecondaryStatus: transitions.at(-1)?.Status,
    SecondaryStatusTransitions: transitions,
    CreationTime: T0,
    AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: IMAGE },
    ResourceConfig: { InstanceType: 'ml.p3.2xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
    StoppingCondition: { MaxRuntimeInSeconds: 43200, MaxWaitTimeInSeconds: 86400 },
    EnableManagedSpotTraining: true,
    OutputDataConfig: { S3OutputPath: 's3://floorplans-ml/yolo-training/output/' },
    ModelArtifacts: undefined,
    ...extra,
  };
}

export interface RecordingLog {
  info: (m: string) => void;
  warning: (m: string) => void;
  error: (m: string) => void;
  lines: { level: 'info' | 'warning' | 'error'; message: string }[];
}

export function recordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warning: (message) => lines.push({ level: 'warning', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}

/** A clock that only moves when the code under test sleeps. */
export function fakeClock(start = 0) {
  const clock = {
    t: start,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}
