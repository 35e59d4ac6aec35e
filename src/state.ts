// Typed state shared by the main and post steps (core.saveState/getState). Only what the post step
// needs to cancel a job: never credentials or tokens.
export interface JobState {
  jobName: string;
  region: string;
  /** True once main stopped waiting (the job ended, or wait-timeout passed): nothing to cancel then. */
  ended: boolean;
  /** The run waits for the job; a detached run (wait: false) leaves its job alone on cancel. */
  wait: boolean;
  /** `sagemaker`, or `local`: a local job runs detached in its own process group, so it too outlives main. */
  backend: 'sagemaker' | 'local';
}

const KEY = 'job';

export interface StateStore {
  save(name: string, value: string): void;
  get(name: string): string;
}

export function saveJobState(store: StateStore, state: JobState): void {
  store.save(KEY, JSON.stringify(state));
}

export function loadJobState(store: StateStore): JobState | undefined {
  const raw = store.get(KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<JobState>;
    if (typeof parsed.jobName !== 'string' || typeof parsed.region !== 'string') return undefined;
    return {
      jobName: parsed.jobName,
      region: parsed.region,
      ended: parsed.ended === true,
      wait: parsed.wait !== false,
      backend: parsed.backend === 'local' ? 'local' : 'sagemaker',
    };
  } catch {
    return undefined;
  }
}

/** The post step stops a job only when main started or attached to it, waited, and it never ended. */
export function shouldStopOnCleanup(state: JobState | undefined): state is JobState {
  return state !== undefined && state.wait && !state.ended;
}
