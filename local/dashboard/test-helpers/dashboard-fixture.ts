import type { DashboardData, DashboardRevision, DecisionView, IngestRate, TrainingEntry } from '../dashboard-data.js';
import type { OnlineAnswer } from '../online-answer.js';

/**
 * A realistic `/dashboard/data` for page tests: a champion at 90 % and a
 * canary at 10 %, twenty online windows, six trained models, decisions of
 * both kinds and a minute of ingest. Deterministic for a given `now`.
 */

const CHAMPION = { revision: 'recommend-00002', modelVersion: 'svd-20261204T150000.000Z-1a2b3c4d' };
const CANDIDATE = { revision: 'recommend-00003', modelVersion: 'svd-20261204T160500.000Z-5e6f7a8b' };

function wave(k: number, base: number, spread: number): number {
  return base + spread * Math.sin(k / 2.3) + (spread / 3) * Math.cos(k * 1.7);
}

function onlineReports(now: number): OnlineAnswer['reports'] {
  const reports: OnlineAnswer['reports'] = [];
  for (let k = 0; k < 20; k++) {
    const to = now - (19 - k) * 60_000;
    const stats = [CHAMPION, CANDIDATE].map((m, j) => {
      const served = Math.round(wave(k + j, j === 0 ? 900 : 100, j === 0 ? 80 : 12));
      const hitRate = wave(k + 3 * j, j === 0 ? 0.21 : 0.24, 0.02);
      return {
        ...m,
        served,
        hits: Math.round(served * hitRate),
        hitRate,
        watchedMinutes: served * 11,
        ratings: Math.round(served / 9),
        meanRating: 3.6 + 0.1 * j,
        fallbackShare: 0.04,
        latencyP50Ms: wave(k, 3, 0.4),
        latencyP95Ms: wave(k + 5 * j, j === 0 ? 9 : 11, 1.2),
      };
    });
    reports.push({ at: new Date(to + 1000).toISOString(), from: new Date(to - 600_000).toISOString(), to: new Date(to).toISOString(), windowMinutes: 10, revisions: stats });
  }
  return reports;
}

function training(now: number): TrainingEntry[] {
  const entries: TrainingEntry[] = [];
  for (let k = 0; k < 6; k++) {
    const at = new Date(now - k * 600_000);
    const algorithm = k % 3 === 2 ? 'als' : 'svd';
    const stamp = at.toISOString().replace(/[-:]/g, '');
    entries.push({
      version: k === 0 ? CANDIDATE.modelVersion : k === 1 ? CHAMPION.modelVersion : `${algorithm}-${stamp}-0000000${k}`,
      algorithm,
      createdAt: at.toISOString(),
      metrics: { fitSeconds: 4 + k, rmse: algorithm === 'als' ? null : 0.9 + 0.01 * k, ndcgAt20: 0.3 - 0.008 * k, hitRateAt20: 0.4 - 0.01 * k },
      counts: { users: 2000, movies: 500, ratings: 40_000 - 3000 * k, interactions: 120_000 - 9000 * k },
    });
  }
  return entries;
}

function decisions(now: number): DecisionView[] {
  const at = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();
  return [
    {
      id: 'canary/1', at: at(1), source: 'canary', verdict: 'hold', summary: 'hold recommend-00003 at 10 %',
      candidate: CANDIDATE, champion: CHAMPION,
      evidence: ['candidate hit rate 0.243 vs champion 0.211 over 96 served: too few to decide (need 200)'],
      figures: { candidateHitRate: 0.243, championHitRate: 0.211, candidateServed: 96 },
    },
    {
      id: 'offline/abc', at: at(4), source: 'offline', verdict: 'promoted',
      summary: `offline gate passed: ${CANDIDATE.modelVersion} starts on recommend-00003 at 10 %`,
      candidate: CANDIDATE, champion: { revision: null, modelVersion: CHAMPION.modelVersion },
      evidence: ['better than the champion on the held-out slice', 'ndcgAt20: candidate 0.3 vs champion 0.292 (margin 0.01, n = 1,204) — passed'],
      figures: { 'ndcgAt20 candidate': 0.3, 'ndcgAt20 champion': 0.292 },
    },
    {
      id: 'offline/def', at: at(25), source: 'offline', verdict: 'rejected', summary: 'offline gate rejected als-20261204T154000.000Z-00000002',
      candidate: { revision: null, modelVersion: 'als-20261204T154000.000Z-00000002' }, champion: { revision: null, modelVersion: CHAMPION.modelVersion },
      evidence: ['worse than the champion beyond the margin', 'ndcgAt20: candidate 0.254 vs champion 0.292 (margin 0.01, n = 1,180) — failed'],
      figures: { 'ndcgAt20 candidate': 0.254, 'ndcgAt20 champion': 0.292 },
    },
  ];
}

function rates(now: number): IngestRate[] {
  const out: IngestRate[] = [];
  for (let k = 0; k < 30; k++) {
    out.push({ at: new Date(now - (29 - k) * 2000).toISOString(), recordsPerSecond: wave(k, 420, 60), duplicatesPerSecond: 2, rejectedPerSecond: wave(k, 9, 3) });
  }
  return out;
}

function revision(m: typeof CHAMPION, tag: 'champion' | 'candidate', percent: number, created: number): DashboardRevision {
  return { name: m.revision, tag, percent, ready: true, phase: 'ready', modelVersion: m.modelVersion, createdAt: new Date(created).toISOString(), reason: null };
}

export function dashboardFixture(now: number = Date.parse('2026-12-04T16:30:00.000Z')): DashboardData {
  return {
    generatedAt: new Date(now).toISOString(),
    system: {
      ingress: 'http://127.0.0.1:8080',
      channel: 'memory',
      functions: ['ingest', 'train', 'evaluate'].map((name) => ({ name, ready: true, restarts: 0 })),
      models: 6,
      audience: true,
    },
    revisions: [revision(CHAMPION, 'champion', 90, now - 3600_000), revision(CANDIDATE, 'candidate', 10, now - 240_000)],
    online: { available: true, reason: null, reports: onlineReports(now) },
    decisions: decisions(now),
    training: training(now),
    ingest: {
      totals: { records: 183_412, duplicates: 804, rejected: 3_921, rejectsByReason: { 'bad timestamp': 2_310, 'unknown request': 1_203, 'rating out of range': 408 }, commits: 1_020 },
      rates: rates(now),
    },
  };
}
