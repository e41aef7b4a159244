import { Command, CommanderError } from 'commander';
import { MovierecError, InvalidArgumentError } from '../lib/errors.js';
import { registerDemo } from './commands/demo.js';
import { registerLineage } from './commands/lineage.js';
import { registerPipeline } from './commands/pipeline.js';
import { registerPrepare } from './commands/prepare.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerPromote } from './commands/promote.js';
import { registerRecommend } from './commands/recommend.js';
import { registerReplay } from './commands/replay.js';
import { registerRollback } from './commands/rollback.js';
import { registerRollout } from './commands/rollout.js';
import { registerStatus } from './commands/status.js';
import { registerGate } from './commands/gate.js';
import { registerReport } from './commands/report.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerTrain } from './commands/train.js';
import { registerUp } from './commands/up.js';
import type { Io } from './io.js';
import { packageVersion } from './version.js';

/** Exit codes: 0 done, 1 the work failed (bad data, corrupt bundle…), 2 bad arguments. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildProgram(io: Io): Command {
  const program = new Command('movierec')
    .description('Train, evaluate and query movie recommendation models from the course log stream.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  registerUp(program, io);
  registerDemo(program, io);
  registerTrain(program, io);
  registerEvaluate(program, io);
  registerRecommend(program, io);
  registerReplay(program, io);
  registerRollout(program, io);
  registerPromote(program, io);
  registerRollback(program, io);
  registerStatus(program, io);
  registerSnapshot(program, io);
  registerPrepare(program, io);
  registerReport(program, io);
  registerGate(program, io);
  registerLineage(program, io);
  registerPipeline(program, io, run);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/**
 * Run the CLI on `argv` (without node and the script). Returns the exit code;
 * never throws for anything a user can cause.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT_OK;
    }
    return EXIT_USAGE;
  }
  if (error instanceof InvalidArgumentError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof MovierecError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT_FAILED;
  }
  // Not ours: a bug. Say so plainly, with the detail needed to report it.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`error: unexpected failure (this is a bug in movierec)\n${detail}\n`);
  return EXIT_FAILED;
}
