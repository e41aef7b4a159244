/**
 * What people hear about (Slack). evaluate and train call `notify` and go on:
 * a notifier never throws and never blocks a rollout decision; delivery,
 * retries and rate limits are its own business (lib/ops/slack-notifier.ts).
 */

export const NOTICE_KINDS = ['promoted', 'rolled-back', 'canary-started', 'training-failed', 'quality-alert'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  readonly kind: NoticeKind;
  /** One line, plain text: what happened. */
  readonly title: string;
  /** The model versions involved, e.g. `{ candidate: 'svd-…', champion: 'svdpp-…' }`. */
  readonly models?: Readonly<Record<string, string>>;
  /** The figures behind the decision, name → value (`hit rate (candidate)`: 0.31). */
  readonly metrics?: Readonly<Record<string, number | string>>;
  /** The evidence, one plain sentence each (the test, its p-value, the guards). */
  readonly evidence?: readonly string[];
}

export interface Notifier {
  notify(notice: Notice): void;
  /** Resolves once every queued notice was delivered or given up on (shutdown, tests). */
  flush(): Promise<void>;
}

/** A notifier that tells nobody: Slack not configured. */
export const silentNotifier: Notifier = {
  notify: () => undefined,
  flush: async () => undefined,
};
