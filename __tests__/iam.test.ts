// Least privilege, checked: every AWS API the code can call is allowed by the documented workflow
// role policy, and the policy allows nothing the code does not call.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SERVICE_PREFIX: Record<string, string> = {
  s3: 's3',
  sagemaker: 'sagemaker',
  ecr: 'ecr',
  'cloudwatch-logs': 'logs',
  pricing: 'pricing',
};

/** S3 operations authorised under other actions' names. */
const S3_ACTION: Record<string, string[]> = {
  HeadObject: ['GetObject'],
  ListObjectsV2: ['ListBucket'],
  CreateMultipartUpload: ['PutObject'],
  UploadPart: ['PutObject'],
  CompleteMultipartUpload: ['PutObject'],
  // Copies read the source and write the target.
  CopyObject: ['GetObject', 'PutObject'],
  UploadPartCopy: ['GetObject', 'PutObject'],
};

/** What `docker buildx build --push` with a registry cache does against ECR (not SDK calls). */
const DOCKER_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

function actionsUsedByCode(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
    )) {
      const prefix = SERVICE_PREFIX[m[2] as string];
      if (!prefix) throw new Error(`${file}: no IAM prefix known for @aws-sdk/client-${m[2]}`);
      for (const name of (m[1] as string).split(',').map((n) => n.replace(/\btype\b/, '').trim())) {
        const op = /^(\w+)Command$/.exec(name)?.[1];
        if (!op || !new RegExp(`new ${name}\\(`).test(text)) continue;
        for (const action of (prefix === 's3' && S3_ACTION[op]) || [op]) {
          used.add(`${prefix}:${action}`);
        }
      }
    }
    if (/from '@aws-sdk\/lib-storage'/.test(text) && /new Upload\(/.test(text)) {
      used.add('s3:PutObject').add('s3:AbortMultipartUpload');
    }
  }
  return used;
}

function policyActions(file: string): Set<string> {
  const policy = JSON.parse(readFileSync(file, 'utf8')) as {
    Statement: { Action: string | string[] }[];
  };
  return new Set(
    policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );
}

describe('iam/workflow-role-policy.json', () => {
  const used = actionsUsedByCode();
  // Tags on CreateTrainingJob are authorised separately.
  if (used.has('sagemaker:CreateTrainingJob')) used.add('sagemaker:AddTags');
  for (const action of DOCKER_PUSH) used.add(action);
  // output-kms-key: the job's output.tar.gz is SSE-KMS encrypted, and the metrics reader gets it.
  const request = readFileSync('src/training/request.ts', 'utf8');
  if (/KmsKeyId: lockdown\.outputKmsKey/.test(request) && used.has('s3:GetObject')) {
    used.add('kms:Decrypt');
  }
  const needed = used;
  const allowed = policyActions('iam/workflow-role-policy.json');

  it('allows every AWS action the code calls', () => {
    expect([...needed].filter((a) => !allowed.has(a) && a !== 'iam:PassRole').sort()).toEqual([]);
  });

  it('allows nothing the code does not call (besides passing the execution role)', () => {
    expect([...allowed].filter((a) => !needed.has(a) && a !== 'iam:PassRole').sort()).toEqual([]);
  });

  it('lets the execution role be passed to SageMaker only', () => {
    const policy = JSON.parse(readFileSync('iam/workflow-role-policy.json', 'utf8')) as {
      Statement: { Action: string; Condition?: Record<string, Record<string, string>> }[];
    };
    const pass = policy.Statement.find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition?.StringEquals?.['iam:PassedToService']).toBe('sagemaker.amazonaws.com');
  });
});

describe('iam/sagemaker-execution-role-policy.json', () => {
  const policy = JSON.parse(readFileSync('iam/sagemaker-execution-role-policy.json', 'utf8')) as {
    Statement: { Action: string | string[]; Resource: string | string[]; Condition?: unknown }[];
  };
  const actions = (s: { Action: string | string[] }) =>
    Array.isArray(s.Action) ? s.Action : [s.Action];
  const resources = (s: { Resource: string | string[] }) =>
    Array.isArray(s.Resource) ? s.Resource : [s.Resource];

  it('grants a wildcard resource only where AWS has no narrower one, and then with a condition', () => {
    for (const statement of policy.Statement) {
      if (!resources(statement).includes('*')) continue;
      const unconditioned = actions(statement).filter((a) => a !== 'ecr:GetAuthorizationToken');
      if (unconditioned.length > 0) expect(statement.Condition).toBeDefined();
    }
  });

  it('reads datasets, writes only outputs and checkpoints', () => {
    const writes = policy.Statement.filter((s) =>
      actions(s).some((a) => /s3:(Put|Delete)Object/.test(a)),
    );
    for (const s of writes) {
      for (const r of resources(s)) expect(r).toMatch(/\/yolo-training\/(output|checkpoints)\/\*$/);
    }
  });
});

describe('the execution role for locked-down jobs (issue 15)', () => {
  const policy = JSON.parse(readFileSync('iam/sagemaker-execution-role-policy.json', 'utf8')) as {
    Statement: {
      Sid?: string;
      Action: string | string[];
      Resource: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    }[];
  };
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const allowed = (prefix: string) =>
    policy.Statement.flatMap((s) => list(s.Action)).filter((a) => a.startsWith(prefix));
  const request = readFileSync('src/training/request.ts', 'utf8');

  it('lets VPC jobs (subnets, security-group-ids) manage their network interfaces, and no other EC2 action', () => {
    expect(request).toMatch(/VpcConfig: \{/);
    expect(allowed('ec2:').sort()).toEqual([
      'ec2:CreateNetworkInterface',
      'ec2:CreateNetworkInterfacePermission',
      'ec2:DeleteNetworkInterface',
      'ec2:DeleteNetworkInterfacePermission',
      'ec2:DescribeDhcpOptions',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
    ]);
    const changes = policy.Statement.find((s) =>
      list(s.Action).includes('ec2:CreateNetworkInterface'),
    );
    expect(changes?.Condition?.ArnEquals?.['ec2:Vpc']).toMatch(/:vpc\/VPC_ID$/);
  });

  it('uses the volume and output KMS keys only, by ARN, and grants only to AWS resources', () => {
    expect(request).toMatch(/VolumeKmsKeyId: lockdown\.volumeKmsKey/);
    expect(request).toMatch(/KmsKeyId: lockdown\.outputKmsKey/);
    expect(allowed('kms:').sort()).toEqual([
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
    for (const s of policy.Statement.filter((st) =>
      list(st.Action).some((a) => a.startsWith('kms:')),
    )) {
      for (const r of list(s.Resource))
        expect(r).toMatch(/^arn:aws:kms:REGION:ACCOUNT_ID:key\/(VOLUME|OUTPUT)_KMS_KEY_ID$/);
      expect(s.Condition).toBeDefined();
    }
    const grant = policy.Statement.find((s) => list(s.Action).includes('kms:CreateGrant'));
    expect(grant?.Condition?.Bool?.['kms:GrantIsForAWSResource']).toBe('true');
  });
});

describe('iam/scheduled-gate-policy.json (the long-jobs example)', () => {
  const workflow = readFileSync('.github/workflows/example-long-jobs.yml', 'utf8');
  const calls = [...workflow.matchAll(/\baws sagemaker ([a-z-]+)/g)].map(
    (m) =>
      `sagemaker:${(m[1] as string).replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase())}`,
  );
  const base = policyActions('iam/workflow-role-policy.json');

  it('adds exactly what the scheduled gate calls beyond the workflow role policy', () => {
    expect(calls.sort()).toEqual(['sagemaker:AddTags', 'sagemaker:Search']);
    const extra = [...new Set(calls)].filter((a) => !base.has(a)).sort();
    expect([...policyActions('iam/scheduled-gate-policy.json')].sort()).toEqual(extra);
  });
});
