import { Broker, Trigger } from '@kubernetes-models/knative/eventing.knative.dev/v1';
import { Service } from '@kubernetes-models/knative/serving.knative.dev/v1';
import { PingSource, SinkBinding } from '@kubernetes-models/knative/sources.knative.dev/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, ServiceAccount } from 'kubernetes-models/v1';
import type { z } from 'zod';
import { formatIssues } from '../../lib/errors.js';
import { KafkaSourceSchema } from './kafka-source.js';
import { PodMonitorSchema, PrometheusRuleSchema } from './monitoring.js';

/**
 * Every kind `knative/` builds, checked against its schema: Kubernetes and
 * Knative kinds with the kubernetes-models JSON schemas, the KafkaSource and
 * the Prometheus Operator kinds with movierec's own zod schemas. A kind not
 * listed here is an error, so a new kind cannot slip in unchecked.
 */

interface Validatable {
  validate(): void;
}
type ModelClass = new () => Validatable;

const MODELS: Readonly<Record<string, ModelClass>> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'serving.knative.dev/v1/Service': Service,
  'eventing.knative.dev/v1/Broker': Broker,
  'eventing.knative.dev/v1/Trigger': Trigger,
  'sources.knative.dev/v1/PingSource': PingSource,
  'sources.knative.dev/v1/SinkBinding': SinkBinding,
};

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'sources.knative.dev/v1beta1/KafkaSource': KafkaSourceSchema,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRuleSchema,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitorSchema,
};

/**
 * The generated SinkBinding schema requires `status`, which the API server
 * writes and no manifest carries; it is given an empty one before validation.
 */
const NEEDS_EMPTY_STATUS = new Set(['sources.knative.dev/v1/SinkBinding']);

export const VALIDATED_KINDS = [...Object.keys(MODELS), ...Object.keys(SCHEMAS)];

/** Why `document` is not a valid object of its kind; null when it is. */
export function documentProblem(document: Record<string, unknown>): string | null {
  const key = `${String(document.apiVersion)}/${String(document.kind)}`;
  const Model = MODELS[key];
  if (Model !== undefined) {
    try {
      // An empty model given the document's fields; validate() checks them against the kind's JSON schema.
      Object.assign(new Model(), NEEDS_EMPTY_STATUS.has(key) ? { status: {}, ...document } : document).validate();
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  const schema = SCHEMAS[key];
  if (schema === undefined) return `no schema for ${key}`;
  const parsed = schema.safeParse(document);
  return parsed.success ? null : formatIssues(parsed.error.issues);
}
