// The code version lives in lib/ops so the functions can stamp bundles too; the CLI shows the same.
export { gitCommit, packageVersion } from '../lib/ops/version.js';
