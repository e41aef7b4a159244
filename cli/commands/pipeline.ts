import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError, MovierecError } from '../../lib/errors.js';
import type { DvcStage } from '../../lib/pipeline/dvc-stages.js';
import { dvcStages } from '../../lib/pipeline/dvc-stages.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';

interface PipelineFlags {
  dvc: string;
  params: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Runs one `movierec …` argv in this process and answers its exit code (the CLI's `run`, passed in to avoid a cycle). */
export type RunCommand = (argv: readonly string[], io: Io) => Promise<number>;

export function registerPipeline(program: Command, io: Io, runCommand: RunCommand): void {
  program
    .command('pipeline')
    .summary("run dvc.yaml's stages in order, without DVC (no caching: every stage runs)")
    .description(
      "DVC's `repro` for machines without DVC: read dvc.yaml (foreach expanded, ${…} filled from params.yaml) and run every stage's cmd in file order in this process. Every cmd must be a movierec command with plain arguments. Stops at the first stage that fails. With DVC installed, `dvc repro` does the same with caching.",
    )
    .option('--dvc <file>', 'the pipeline file', 'dvc.yaml')
    .option('--params <file>', 'the parameters file', 'params.yaml')
    .option('-n, --dry-run', 'print the commands, run nothing')
    .option('--json', 'print one JSON object on stdout (the stages run and their exit codes)')
    .addHelpText('after', '\nExamples:\n  movierec pipeline\n  movierec pipeline --dry-run\n  movierec pipeline --dvc dvc.yaml --params params.yaml --json')
    .action(async (flags: PipelineFlags) => {
      const stages = dvcStages(await readText(flags.dvc), await readText(flags.params), flags.dvc);
      const plans = stages.map((stage) => ({ stage, argv: movierecArgv(stage) }));
      const done: Array<{ stage: string; cmd: string; code: number | null }> = [];
      for (const { stage, argv } of plans) {
        if (!flags.json) say(io, `${flags.dryRun ? '' : '▶ '}${stage.name}: ${stage.cmd}`);
        if (flags.dryRun) {
          done.push({ stage: stage.name, cmd: stage.cmd, code: null });
          continue;
        }
        // A stage's own --json would share our stdout: its output goes to stderr when we print JSON.
        const code = await runCommand(argv, flags.json ? { stdout: io.stderr, stderr: io.stderr } : io);
        done.push({ stage: stage.name, cmd: stage.cmd, code });
        if (code !== 0) {
          if (flags.json) printJson(io, { ok: false, stages: done });
          throw new MovierecError(`stage ${stage.name} failed (exit ${code}): ${stage.cmd}`);
        }
      }
      if (flags.json) printJson(io, { ok: true, stages: done });
      else if (!flags.dryRun) say(io, `${done.length} stages done`);
    });
}

/** The stage's cmd as movierec arguments; anything else is refused (no shell here). */
function movierecArgv(stage: DvcStage): string[] {
  const words = stage.cmd.trim().split(/\s+/);
  if (words[0] !== 'movierec' || /["'`$|&;<>\\]/.test(stage.cmd)) {
    throw new InvalidArgumentError(`stage ${stage.name}: "${stage.cmd}" is not a plain movierec command; run it with dvc repro`);
  }
  return words.slice(1);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`${file}: cannot read it`);
  }
}
