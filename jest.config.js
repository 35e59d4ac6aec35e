// ts-jest in ESM mode: the @actions/* packages are ESM-only, so tests run as native ES modules
// (NODE_OPTIONS=--experimental-vm-modules, set by `npm test`). Type checking is `npm run typecheck`;
// ts-jest only transpiles (isolatedModules) so the suite stays fast.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 30000,
};
