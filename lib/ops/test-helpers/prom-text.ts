/**
 * Reads the Prometheus text exposition format (what `GET /metrics` answers)
 * into samples, for tests that scrape a function. Only what prom-client
 * writes: `name{label="value",…} number`, `# HELP` / `# TYPE` lines.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** Metric family names from `# TYPE` lines, with their type. */
  readonly types: ReadonlyMap<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePromText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name, type);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1], labels, value: numberOf(match[3]) });
  }
  return { samples, types };
}

function numberOf(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** The samples named `name` whose labels include every `labels` pair. */
export function samplesOf(exposition: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  const wanted = Object.entries(labels);
  return exposition.samples.filter((s) => s.name === name && wanted.every(([key, value]) => s.labels[key] === value));
}

/** The one sample's value; throws when none or several match (the message lists what is there). */
export function valueOf(exposition: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = samplesOf(exposition, name, labels);
  if (found.length !== 1) {
    const seen = samplesOf(exposition, name).map((s) => JSON.stringify(s.labels));
    throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}; present: ${seen.join(' ') || 'none'}`);
  }
  return found[0].value;
}

/**
 * The metric family names a scrape exposes (histograms and summaries by
 * their family name, as PromQL's `_bucket` / `_sum` / `_count` series derive
 * from it — those series names are included too).
 */
export function metricNames(exposition: Exposition): Set<string> {
  const names = new Set<string>(exposition.types.keys());
  for (const [name, type] of exposition.types) {
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  for (const sample of exposition.samples) names.add(sample.name);
  return names;
}
