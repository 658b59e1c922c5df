// Types for coffer-layers.js, so the TypeScript tests can import the plugin.
import type { ESLint, Rule } from 'eslint';

export interface LayerProblem {
  messageId: 'crossLayer' | 'outsideRepository' | 'nodeBuiltin' | 'electronPackage' | 'package';
  data: Record<string, string>;
}

export function layerOf(relativePath: string): string | null;

export function checkImport(input: {
  root: string;
  filename: string;
  specifier: string;
}): LayerProblem | null;

declare const plugin: ESLint.Plugin & { rules: { 'layer-imports': Rule.RuleModule } };
export default plugin;
