/**
 * The metric names a PromQL expression reads — enough PromQL for the rules
 * and the dashboard, checked by their tests against what the functions
 * expose. Grafana variables (`$revision`, `${tag}`, `$__rate_interval`) are
 * allowed in the expression.
 */

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2']);

/** Series Prometheus makes itself (not exposed by any target). */
export const PROMETHEUS_SERIES: ReadonlySet<string> = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds', 'scrape_samples_scraped']);

export function promqlMetricNames(expr: string): Set<string> {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\$\{[^}]*\}|\$\w+/g, '0') // Grafana variables
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\boffset\s+-?[0-9a-z]+/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const before = text[match.index - 1] ?? ' ';
    const after = text.slice(match.index + name.length).trimStart();
    if (/[0-9.]/.test(before)) continue; // part of a number such as 1e3
    if (KEYWORDS.has(name) || after.startsWith('(')) continue; // a keyword, a function or an aggregation
    if (/^(inf|nan)$/i.test(name)) continue;
    names.add(name);
  }
  return names;
}
