/** A metric for people: 4 decimals, or "n/a" where it does not apply (RMSE of a ranker). */
export function formatMetric(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  return value.toFixed(4);
}

/** Two aligned columns. */
export function metricsTable(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n');
}

/** `factors=100 epochs=20 …` */
export function formatParams(params: Readonly<Record<string, number>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
