import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackMessage } from './slack-blocks.js';

describe('slackMessage', () => {
  it('is a header and a context line for a bare notice', () => {
    expect(slackMessage({ kind: 'training-failed', title: 'train failed: no data' })).toEqual({
      text: ':x: train failed: no data',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':x: train failed: no data' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'movierec · training-failed' }] },
      ],
    });
  });

  it('splits more than ten metrics over sections and formats numbers', () => {
    const metrics = Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`m${k}`, k === 0 ? 0.123456 : k === 1 ? 1234.56 : k]));
    const { blocks } = slackMessage({ kind: 'quality-alert', title: 'alert', metrics });
    const sections = blocks.filter((block) => block.type === 'section');
    expect(sections.map((block) => (block.type === 'section' ? block.fields?.length : 0))).toEqual([10, 2]);
    const first = sections[0].type === 'section' ? sections[0].fields : [];
    expect(first?.slice(0, 3).map((field) => field.text)).toEqual(['*m0*\n0.1235', '*m1*\n1234.6', '*m2*\n2']);
  });

  it("keeps to Slack's limits and escapes its control characters", () => {
    const { blocks } = slackMessage({ kind: 'promoted', title: 'x'.repeat(400), evidence: ['a < b & c > d', 'y'.repeat(5000)] });
    const header = blocks[0];
    expect(header.type === 'header' ? header.text.text.length : 0).toBe(150);
    const evidence = blocks[1];
    expect(evidence.type === 'section' ? evidence.text?.text.length : 0).toBe(3000);
    expect(evidence.type === 'section' ? evidence.text?.text.startsWith('• a &lt; b &amp; c &gt; d\n• yyy') : false).toBe(true);
    expect(escapeMrkdwn('<@U1> & <!here>')).toBe('&lt;@U1&gt; &amp; &lt;!here&gt;');
  });
});
