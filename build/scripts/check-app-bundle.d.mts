// Types for check-app-bundle.mjs, so the TypeScript tests can import it.
export function preloadProblems(source: string): string[];
export function mainProblems(source: string): string[];
export function checkAppBundle(dir: string): string[];
