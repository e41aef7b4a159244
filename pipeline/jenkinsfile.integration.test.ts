import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../cli/run.js';
import { shellSteps, stepCalls } from './test-helpers/jenkinsfile-steps.js';

/**
 * The Jenkinsfile (Jenkins is not installable here): npm-groovy-lint checks
 * its syntax (CodeNarc on Java, once, without leaving a server running), and
 * every npm script and movierec command its `sh` steps call must exist.
 */
const repo = resolve(import.meta.dirname, '..');
const jenkinsfile = readFileSync(join(repo, 'Jenkinsfile'), 'utf8');
const packageJson: { scripts: Record<string, string> } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const silentIo = { stdout: { write: () => true }, stderr: { write: () => true } };
const commands = buildProgram(silentIo).commands.map((command) => command.name());

/**
 * Called by the Jenkinsfile, added to package.json at merge (this branch may
 * not edit it). Remove each entry once package.json has it.
 */
export const PENDING_NPM_SCRIPTS: Readonly<Record<string, string>> = {};

/** Called by the Jenkinsfile, built on another branch (rollouts). Remove each once cli/run.ts registers it. */
export const PENDING_CLI_COMMANDS: readonly string[] = [];

const calls = stepCalls(shellSteps(jenkinsfile));

describe('Jenkinsfile', () => {
  it('passes npm-groovy-lint with no error', { timeout: 600_000 }, async () => {
    const lint = join(repo, 'node_modules/.bin/npm-groovy-lint');
    expect(existsSync(lint), 'npm-groovy-lint is a devDependency').toBe(true);
    const result = await promisify(execFile)(lint, ['--noserver', '--failon', 'error', '--output', 'txt', 'Jenkinsfile'], {
      cwd: repo,
      timeout: 590_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    );
    expect(result.stdout, result.stdout).toMatch(/'Error'\s*│\s*0\b/);
    expect(result.code, result.stdout).toBe(0);
  });

  it('installs with npm ci and runs only npm scripts that exist', () => {
    expect(calls.npmCi).toBe(true);
    expect(calls.npmScripts.length).toBeGreaterThan(3);
    for (const script of calls.npmScripts) {
      expect(script in packageJson.scripts || script in PENDING_NPM_SCRIPTS, `npm run ${script}`).toBe(true);
    }
  });

  it('runs only movierec commands that exist', () => {
    expect(calls.movierecCommands).toEqual(expect.arrayContaining(['pipeline', 'gate', 'lineage', 'rollout', 'promote', 'rollback', 'status']));
    for (const command of calls.movierecCommands) {
      expect(commands.includes(command) || PENDING_CLI_COMMANDS.includes(command), `movierec ${command}`).toBe(true);
    }
  });

  it('lists as pending only what is still missing and still called', () => {
    for (const script of Object.keys(PENDING_NPM_SCRIPTS)) {
      expect(script in packageJson.scripts, `package.json has ${script} now: drop it from PENDING_NPM_SCRIPTS`).toBe(false);
      expect(calls.npmScripts, script).toContain(script);
    }
    for (const command of PENDING_CLI_COMMANDS) {
      expect(commands, `cli/run.ts registers ${command} now: drop it from PENDING_CLI_COMMANDS`).not.toContain(command);
      expect(calls.movierecCommands, command).toContain(command);
    }
  });

  it('has the stages of the issue in order, a retraining timer, test reports and a deploy per overlay', () => {
    const stages = [...jenkinsfile.matchAll(/\bstage\('([^']+)'\)/g)].map((m) => m[1]);
    expect(stages).toEqual([
      'Install',
      'Static checks',
      'Unit and contract tests',
      'Integration tests',
      'Data pipeline',
      'Offline gate',
      'Images',
      'Deploy',
      'Canary rollout',
      'Online gate',
      'Promote',
      'Roll back',
    ]);
    expect(jenkinsfile).toMatch(/triggers \{[^}]*cron\('[^']+'\)/);
    expect(jenkinsfile).toMatch(/junit testResults: 'reports\/junit-unit\.xml'/);
    expect(jenkinsfile).toMatch(/parser: 'COBERTURA', pattern: 'coverage\/cobertura-coverage\.xml'/);
    expect(shellSteps(jenkinsfile)).toContain('kubectl apply -k knative/overlays/${params.ENV}');
    expect(shellSteps(jenkinsfile).some((step) => /^docker build .*--target movierec /.test(step))).toBe(true);
  });

  it('takes secrets only from Jenkins credentials, never interpolated by Groovy', () => {
    const secretVariables = ['REGISTRY_PASSWORD', 'AWS_CREDS_PSW', 'AWS_SECRET_ACCESS_KEY'];
    expect(jenkinsfile).toMatch(/credentials\('movierec-s3'\)/);
    expect(jenkinsfile).toMatch(/withCredentials\(\[usernamePassword\(credentialsId: 'movierec-registry'/);
    for (const match of jenkinsfile.matchAll(/\bsh\s*\(?\s*(?:script:\s*)?"((?:\\.|[^"\\])*)"/g)) {
      for (const name of secretVariables) expect(match[1], `a double-quoted sh step names ${name}`).not.toContain(name);
    }
    expect(jenkinsfile).not.toMatch(/(password|secret|token)\s*[:=]\s*'[^']+'/i);
  });
});
