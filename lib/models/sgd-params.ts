import { z } from 'zod';

/** The defaults an SGD factor model fills in for missing hyper-parameters. */
export interface SgdDefaults {
  readonly factors: number;
  readonly epochs: number;
  readonly lr: number;
  readonly reg: number;
  readonly initSd: number;
  readonly seed: number;
}

/** Upper bounds that catch typos (a factor count of 1e6 is never meant). */
export const MAX_FACTORS = 4096;
export const MAX_EPOCHS = 100_000;

/**
 * The hyper-parameter schema shared by SVD and SVD++ (Surprise's names in
 * parentheses): `factors` (n_factors), `epochs` (n_epochs), `lr` (lr_all),
 * `reg` (reg_all), `initSd` (init_std_dev) and the RNG `seed`. Missing values
 * take `defaults`; out-of-range values are rejected with a message naming the
 * parameter. Unknown keys are stripped, so the caller can report them.
 */
export function sgdParamsSchema(defaults: SgdDefaults) {
  return z.object({
    factors: z
      .number({ error: 'factors must be a number' })
      .int('factors must be a whole number')
      .min(1, 'factors must be at least 1')
      .max(MAX_FACTORS, `factors must be at most ${MAX_FACTORS}`)
      .default(defaults.factors),
    epochs: z
      .number({ error: 'epochs must be a number' })
      .int('epochs must be a whole number')
      .min(1, 'epochs must be at least 1')
      .max(MAX_EPOCHS, `epochs must be at most ${MAX_EPOCHS}`)
      .default(defaults.epochs),
    lr: z
      .number({ error: 'lr must be a finite number' })
      .gt(0, 'lr (learning rate) must be greater than 0')
      .lt(1, 'lr (learning rate) must be less than 1')
      .default(defaults.lr),
    reg: z
      .number({ error: 'reg must be a finite number' })
      .min(0, 'reg (regularisation) must not be negative')
      .default(defaults.reg),
    initSd: z
      .number({ error: 'initSd must be a finite number' })
      .min(0, 'initSd (initial factor standard deviation) must not be negative')
      .default(defaults.initSd),
    seed: z
      .number({ error: 'seed must be a number' })
      .int('seed must be a whole number')
      .min(0, 'seed must not be negative')
      .max(0xffffffff, 'seed must fit in 32 bits')
      .default(defaults.seed),
  });
}

/** The validated hyper-parameters of an SGD factor model. */
export type SgdParams = z.infer<ReturnType<typeof sgdParamsSchema>>;
