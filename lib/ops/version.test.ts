import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { ConfigError, loadConfig, TrainConfigSchema } from './config.js';
import { gitCommit, packageVersion } from './version.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const trainEnv = { EVENTS_URI: '/var/lib/movierec/events', MODELS_URI: '/var/lib/movierec/models' };

describe('code version', () => {
  it("reports movierec's package version", () => {
    expect(packageVersion()).toBe(pkg.version);
  });

  it('takes an explicit commit as given (lower-cased), for containers without .git', () => {
    expect(gitCommit('0123ABCD')).toBe('0123abcd');
    expect(() => gitCommit('HEAD')).toThrow(InvalidArgumentError);
  });

  it('otherwise asks git, answering a hex commit or null', () => {
    expect(gitCommit()).toSatisfy((commit: string | null) => commit === null || /^[0-9a-f]{40,64}$/.test(commit));
  });

  it("reads GIT_COMMIT in train's config and refuses one that is not hex", () => {
    expect(loadConfig(TrainConfigSchema, { ...trainEnv, GIT_COMMIT: ' 0123abcd ' }).GIT_COMMIT).toBe('0123abcd');
    expect(loadConfig(TrainConfigSchema, trainEnv).GIT_COMMIT).toBeUndefined();
    expect(() => loadConfig(TrainConfigSchema, { ...trainEnv, GIT_COMMIT: 'main' })).toThrow(ConfigError);
    expect(() => loadConfig(TrainConfigSchema, { ...trainEnv, GIT_COMMIT: 'main' })).toThrow('GIT_COMMIT: expected a git commit id (7–64 hex digits)');
  });
});
