import { describe, expect, it } from 'vitest';
import { documentProblem } from './schemas/validate-document.js';

/** The validators catch what a cluster would refuse or silently prune. */

const kafkaSource = (spec: Record<string, unknown>) => ({
  apiVersion: 'sources.knative.dev/v1beta1',
  kind: 'KafkaSource',
  metadata: { name: 'movielog' },
  spec: { bootstrapServers: ['kafka:9092'], topics: ['movielog'], sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'ingest' } }, ...spec },
});

describe('documentProblem', () => {
  it('accepts a documented KafkaSource with delivery and SASL from a Secret', () => {
    const sasl = { enable: true, user: { secretKeyRef: { name: 'kafka', key: 'user' } } };
    const delivery = { retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.5S', deadLetterSink: { uri: 'http://dlq' } };
    expect(documentProblem(kafkaSource({ consumerGroup: 'g', initialOffset: 'earliest', consumers: 2, net: { sasl }, delivery }))).toBeNull();
  });

  it.each([
    ['a misspelt field', { topic: ['x'] }, /topic/],
    ['a bad initial offset', { initialOffset: 'oldest' }, /initialOffset/],
    ['a bad backoff delay', { delivery: { backoffDelay: '100ms' } }, /backoffDelay: .*ISO-8601/],
    ['a sink with neither ref nor uri', { sink: {} }, /sink/],
    ['a bad topic name', { topics: ['raw log'] }, /topics\.0/],
  ])('refuses a KafkaSource with %s', (_, spec, message) => {
    expect(documentProblem(kafkaSource(spec))).toMatch(message);
  });

  it('refuses a Knative Service container without a name, and an unknown kind', () => {
    const service = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ image: 'i' }] } } } };
    expect(documentProblem(service)).toMatch(/containers\/0 must have required property name/);
    expect(documentProblem({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toBe('no schema for v1/Secret');
  });

  it('refuses a Prometheus rule that is both an alert and a record, and a PodMonitor without endpoints', () => {
    const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', record: 'b', expr: 'up' }] }] } };
    expect(documentProblem(rule)).toMatch(/alert or a record/);
    const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'm' }, spec: { selector: {}, podMetricsEndpoints: [] } };
    expect(documentProblem(monitor)).toMatch(/podMetricsEndpoints/);
  });
});
