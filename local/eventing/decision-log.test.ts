import { CloudEvent } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/ops/logger.js';
import { promotedEvent, rejectedEvent, rolledBackEvent } from '../../lib/rollout/decision-events.js';
import type { GateEvidence } from '../../lib/messaging/events/model-decision.js';
import { createBroker } from './broker.js';
import { DecisionLog } from './decision-log.js';
import { binaryMessage } from './event-message.js';
import { recordingDeliverer } from './test-helpers/recording-deliverer.js';
import { serveRoutes } from './test-helpers/route-server.js';

const champion = { version: 'svd-20261204T150000.000Z-1a2b3c4d', bundleUri: 'file:///m/svd/a' };
const candidate = { version: 'svd-20261204T160000.000Z-5e6f7a8b', bundleUri: 'file:///m/svd/b' };
const evidence: GateEvidence[] = [{ metric: 'ndcgAt20', candidate: 0.3, champion: 0.29, margin: 0.01, n: 1204, passed: true }];
const at = new Date('2026-12-04T16:00:00.000Z');

describe('DecisionLog', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('keeps promoted, rejected and rolled-back decisions with their evidence, in the order they came', () => {
    const log = new DecisionLog();
    log.observe(rejectedEvent({ candidate, champion, evidence: [{ ...evidence[0], candidate: 0.2, passed: false }], reason: 'worse than the champion' }, at));
    log.observe(promotedEvent({ candidate, champion, revision: 'recommend-00003', percent: 10, stage: 'canary', evidence, reason: 'better on the slice' }, at));
    log.observe(rolledBackEvent({ candidate, champion, revision: 'recommend-00003', evidence: [], reason: 'lower hit rate online' }, at));
    const kept = log.snapshot();
    expect(kept.map((d) => [d.kind, d.candidate, d.champion, d.revision, d.percent, d.stage, d.reason])).toEqual([
      ['rejected', candidate.version, champion.version, null, null, null, 'worse than the champion'],
      ['promoted', candidate.version, champion.version, 'recommend-00003', 10, 'canary', 'better on the slice'],
      ['rolled-back', candidate.version, champion.version, 'recommend-00003', null, null, 'lower hit rate online'],
    ]);
    expect(kept[1].evidence).toEqual(evidence);
    expect(kept[1].at).toBe(at.toISOString());
  });

  it('ignores other events, skips decisions whose data is not the contract, and keeps only the newest N', () => {
    const log = new DecisionLog(2);
    log.observe(new CloudEvent({ type: 'io.movierec.model.trained.v1', source: '/movierec/train', data: { any: 1 } }));
    log.observe(new CloudEvent({ type: 'io.movierec.model.rejected.v1', source: '/movierec/evaluate', data: { candidate: 'not a ref' } }));
    for (const reason of ['first', 'second', 'third']) log.observe(rejectedEvent({ candidate, champion: null, evidence: [], reason }, at));
    expect(log.snapshot().map((d) => d.reason)).toEqual(['second', 'third']);
    expect(log.skipped).toBe(1);
  });

  it('reads data sent as JSON text, and a Broker that accepted an event shows it to its observer', async () => {
    const log = new DecisionLog();
    const broker = createBroker({ namespace: 'movierec', name: 'default', triggers: [], deliverer: recordingDeliverer(), logger: silentLogger, observe: (e) => log.observe(e) });
    const server = await serveRoutes([broker.route]);
    close = () => server.close();
    const message = binaryMessage(promotedEvent({ candidate, champion: null, revision: 'recommend-00001', percent: 100, stage: 'full', evidence: [], reason: 'first model' }, at));
    const response = await fetch(`${server.url}/movierec/default`, { method: 'POST', headers: message.headers, body: message.body });
    expect(response.status).toBe(202);
    expect(log.snapshot().map((d) => [d.kind, d.revision, d.percent, d.stage, d.champion])).toEqual([['promoted', 'recommend-00001', 100, 'full', null]]);

    log.observe(new CloudEvent({ type: 'io.movierec.model.rejected.v1', source: '/movierec/evaluate', datacontenttype: 'text/plain', data: JSON.stringify({ candidate, champion: null, evidence: [], reason: 'as text' }) }));
    expect(log.snapshot().at(-1)?.reason).toBe('as text');
  });
});
