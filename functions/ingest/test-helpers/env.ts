export { withEnv } from '../../../lib/ops/test-helpers/with-env.js';
