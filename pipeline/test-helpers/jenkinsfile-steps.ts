/**
 * What a Jenkinsfile runs: the text of every `sh` step (`sh '…'`, `sh "…"`,
 * `sh(script: "…", …)`), and in them the npm scripts (`npm run X`) and the
 * movierec commands (`movierec X`, `npx movierec X`) they call.
 */
export function shellSteps(jenkinsfile: string): string[] {
  const steps: string[] = [];
  const pattern = /\bsh\s*\(?\s*(?:script:\s*)?(['"])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const match of jenkinsfile.matchAll(pattern)) steps.push(match[2]);
  return steps;
}

export interface StepCalls {
  readonly npmScripts: string[];
  readonly npmCi: boolean;
  readonly movierecCommands: string[];
}

export function stepCalls(steps: readonly string[]): StepCalls {
  const npmScripts = new Set<string>();
  const movierecCommands = new Set<string>();
  let npmCi = false;
  for (const step of steps) {
    for (const match of step.matchAll(/(?:^|[\s;&|(])npm run ([\w:.-]+)/g)) npmScripts.add(match[1]);
    if (/(?:^|[\s;&|(])npm ci\b/.test(step)) npmCi = true;
    for (const match of step.matchAll(/(?:^|[\s;&|("'])(?:npx )?movierec ([a-z][a-z-]*)/g)) movierecCommands.add(match[1]);
  }
  return { npmScripts: [...npmScripts].sort(), npmCi, movierecCommands: [...movierecCommands].sort() };
}
