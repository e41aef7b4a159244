import { MovierecError } from '../errors.js';

/** The environment does not describe a runnable function: every issue, one per entry (`MODEL_URI: required`). */
export class ConfigError extends MovierecError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid configuration: ${issues.join('; ')}`);
    this.issues = Object.freeze([...issues]);
  }
}
