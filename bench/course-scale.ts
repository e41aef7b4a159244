import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildTrainSet } from '../lib/data/build-train-set.js';
import { generateSynthetic } from '../lib/data/synthetic.js';
import { COURSE_SCALE } from '../lib/data/synthetic-options.js';
import { z } from 'zod';
import type { Algorithm } from '../lib/models/model.js';
import { ALGORITHMS, isAlgorithm } from '../lib/models/model.js';
import { prepareAlgorithm } from '../lib/models/registry.js';
import { isMain } from './stats.js';

/** One algorithm trained at the course's scale, measured in a process of its own. */
const CourseScaleResultSchema = z.object({
  algorithm: z.enum(ALGORITHMS),
  params: z.record(z.string(), z.number()),
  generateSeconds: z.number(),
  buildSeconds: z.number(),
  fitSeconds: z.number(),
  /** Peak resident memory of the whole process: data, train set and model. */
  peakRssMb: z.number(),
});
export type CourseScaleResult = z.infer<typeof CourseScaleResultSchema>;

/**
 * Train `algorithm` with its default hyper-parameters on the seeded synthetic
 * world at course scale (1M users, 27k movies, 10M watched pairs, 1M ratings),
 * in a child process so that its peak RSS is its own.
 */
export function benchCourseScale(algorithm: Algorithm): CourseScaleResult {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [script, algorithm], { maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return CourseScaleResultSchema.parse(JSON.parse(out.toString()));
}

async function measure(algorithm: Algorithm): Promise<CourseScaleResult> {
  let started = performance.now();
  const world = generateSynthetic({ ...COURSE_SCALE, seed: 1 });
  const generateSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const { train } = buildTrainSet(world.interactions, world.options.scale);
  const buildSeconds = (performance.now() - started) / 1000;
  const prepared = prepareAlgorithm(algorithm);
  started = performance.now();
  await prepared.fit(train);
  const fitSeconds = (performance.now() - started) / 1000;
  return {
    algorithm,
    params: prepared.params,
    generateSeconds,
    buildSeconds,
    fitSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (isMain(import.meta.url)) {
  const name = process.argv[2] ?? 'svd';
  if (!isAlgorithm(name)) throw new Error(`unknown algorithm ${name}`);
  process.stdout.write(`${JSON.stringify(await measure(name))}\n`);
}
