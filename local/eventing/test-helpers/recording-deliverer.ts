import type { Deliverer, DeliveryJob, DeliveryResult } from '../deliver.js';
import { DeliveryLog } from '../delivery-log.js';

/** A Deliverer that only records its jobs and answers `result` (default: delivered at once). */
export function recordingDeliverer(result: (job: DeliveryJob) => DeliveryResult | Promise<DeliveryResult> = () => ({ outcome: 'delivered', attempts: 1, status: 202 })): Deliverer & { readonly jobs: DeliveryJob[] } {
  const jobs: DeliveryJob[] = [];
  return {
    jobs,
    log: new DeliveryLog(),
    deliver: async (job) => {
      jobs.push(job);
      return result(job);
    },
  };
}
