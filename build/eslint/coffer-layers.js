// Local ESLint plugin: `coffer/layer-imports` keeps each layer of the repository to the
// imports docs/architecture.md (Layers) allows. Every import, export-from, dynamic import(), require()
// and `import('...')` type is resolved against the importing file, so `../../electron/x.js`
// is judged by where it lands, not by how it is spelled.
import { isBuiltin } from 'node:module';
import path from 'node:path';

/**
 * Which layer a repository-relative path (forward slashes) belongs to, or null for
 * files no layer rule covers (build/, bench/, root config, renderer/e2e specs).
 * @param {string} relativePath
 * @returns {string | null}
 */
export function layerOf(relativePath) {
  const [top, second] = relativePath.split('/');
  switch (top) {
    case 'shared':
      return 'shared';
    case 'renderer':
      // e2e specs drive a browser from Node and start servers; they are tooling.
      return second === 'e2e' ? null : 'renderer';
    case 'sync-server':
      return 'sync-server';
    case 'electron':
      switch (second) {
        case 'core':
          return 'electron/core';
        case 'main':
          return 'electron/main';
        case 'preload':
          return 'electron/preload';
        case 'cli':
          return 'electron/cli';
        case 'web':
          return 'electron/web';
        default:
          return null;
      }
    default:
      return null;
  }
}

/**
 * What each layer may import.
 *  files:    layers a relative import may land in ('*' = anywhere inside the repository)
 *  packages: 'all', or the npm packages allowed (their subpaths too)
 *  builtins: whether Node builtins ('fs', 'node:fs') are allowed
 *  electron: whether the 'electron' package is allowed
 *  testPackages: extra packages allowed in *.test.ts files of that layer
 */
const POLICIES = {
  shared: {
    files: ['shared'],
    packages: ['zod'],
    builtins: false,
    electron: false,
    testPackages: ['vitest', 'fast-check'],
    why: 'shared/ is pure TypeScript for every runtime',
  },
  renderer: {
    files: ['renderer', 'shared'],
    packages: 'all',
    builtins: false,
    electron: false,
    testPackages: [],
    why: 'the renderer talks to window.coffer and imports shared/ only',
  },
  'sync-server': {
    files: ['sync-server', 'shared'],
    packages: 'all',
    builtins: true,
    electron: false,
    testPackages: [],
    why: 'the sync server imports shared/ only',
  },
  'electron/preload': {
    files: ['electron/preload', 'shared'],
    packages: 'all',
    builtins: true,
    electron: true,
    testPackages: [],
    why: 'preload exposes the typed window.coffer API; core stays in the main process',
  },
  'electron/core': {
    files: ['electron/core', 'shared'],
    packages: 'all',
    builtins: true,
    electron: false,
    testPackages: [],
    why: 'core is the Node engine under both the app and the CLI',
  },
  'electron/main': {
    files: ['electron/main', 'electron/core', 'shared'],
    packages: 'all',
    builtins: true,
    electron: true,
    testPackages: [],
    why: 'the main process uses core and shared/',
  },
  'electron/cli': {
    files: ['electron/cli', 'electron/core', 'shared'],
    packages: 'all',
    builtins: true,
    electron: false,
    testPackages: [],
    why: 'the CLI uses core and shared/, and runs without Electron',
  },
  'electron/web': {
    files: ['electron/web', 'electron/core', 'shared'],
    packages: 'all',
    builtins: true,
    electron: false,
    testPackages: [],
    why: 'web mode serves the UI and core from plain Node, where no Electron runs',
  },
};

/** @param {string} specifier */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** @param {string} filename */
function isTestFile(filename) {
  return /\.test\.[cm]?[jt]sx?$/.test(filename);
}

/**
 * Why `specifier`, imported from `filename`, breaks the layer rules; null if it is fine.
 * @param {{ root: string, filename: string, specifier: string }} input
 * @returns {{ messageId: string, data: Record<string, string> } | null}
 */
export function checkImport({ root, filename, specifier }) {
  const fromRelative = path.relative(root, filename).split(path.sep).join('/');
  if (fromRelative.startsWith('..') || path.isAbsolute(fromRelative)) return null;
  const layer = layerOf(fromRelative);
  if (layer === null) return null;
  const policy = POLICIES[/** @type {keyof typeof POLICIES} */ (layer)];
  const data = { layer, specifier, why: policy.why };

  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = path.resolve(path.dirname(filename), specifier);
    const targetRelative = path.relative(root, target).split(path.sep).join('/');
    if (targetRelative.startsWith('..') || path.isAbsolute(targetRelative)) {
      return { messageId: 'outsideRepository', data };
    }
    const targetLayer = layerOf(targetRelative);
    if (targetLayer !== null && policy.files.includes(targetLayer)) return null;
    return {
      messageId: 'crossLayer',
      data: { ...data, target: targetLayer ?? targetRelative, allowed: policy.files.join(', ') },
    };
  }

  if (specifier.startsWith('node:') || isBuiltin(specifier)) {
    return policy.builtins ? null : { messageId: 'nodeBuiltin', data };
  }

  const name = packageName(specifier);
  if (name === 'electron') {
    return policy.electron ? null : { messageId: 'electronPackage', data };
  }
  if (policy.packages === 'all') return null;
  const allowedPackages = isTestFile(filename)
    ? [...policy.packages, ...policy.testPackages]
    : policy.packages;
  if (allowedPackages.includes(name)) return null;
  return {
    messageId: 'package',
    data: { ...data, allowed: allowedPackages.map((p) => `'${p}'`).join(', ') },
  };
}

/**
 * The module specifier a node imports, when it is a string known before run time.
 * @param {any} source
 * @returns {string | null}
 */
function staticSpecifier(source) {
  if (!source) return null;
  if (source.type === 'Literal' && typeof source.value === 'string') return source.value;
  if (source.type === 'TemplateLiteral' && source.expressions.length === 0) {
    return source.quasis[0]?.value.cooked ?? null;
  }
  // `import('x')` types: typescript-eslint wraps the string in a TSLiteralType.
  if (source.type === 'TSLiteralType') return staticSpecifier(source.literal);
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const layerImports = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Keep each layer of Coffer to the imports docs/architecture.md (Layers) allows',
    },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: {
      crossLayer:
        "{{layer}} may not import '{{specifier}}' (it is in {{target}}); allowed: {{allowed}}. {{why}}.",
      outsideRepository:
        "{{layer}} may not import '{{specifier}}' from outside the repository. {{why}}.",
      nodeBuiltin: "{{layer}} may not import the Node builtin '{{specifier}}'. {{why}}.",
      electronPackage: "{{layer}} may not import '{{specifier}}'. {{why}}.",
      package:
        "{{layer}} may not import the package '{{specifier}}'; allowed: {{allowed}}. {{why}}.",
    },
  },
  create(context) {
    const options = /** @type {{ root?: string } | undefined} */ (context.options[0]);
    const root = path.resolve(options?.root ?? context.cwd);
    const filename = context.filename;
    if (!path.isAbsolute(filename)) return {};

    /** @param {any} node @param {any} source */
    function check(node, source) {
      const specifier = staticSpecifier(source);
      if (specifier === null) return;
      const problem = checkImport({ root, filename, specifier });
      if (problem) context.report({ node: source ?? node, ...problem });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      // typescript-eslint 8 moved the string from `argument` to `source`; reading the
      // deprecated one prints a warning, so only fall back to it when `source` is absent.
      /** @param {any} node */
      TSImportType: (node) => check(node, 'source' in node ? node.source : node.argument),
      /** @param {any} node */
      TSExternalModuleReference: (node) => check(node, node.expression),
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length === 1
        ) {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

const plugin = {
  meta: { name: 'coffer' },
  rules: { 'layer-imports': layerImports },
};

export default plugin;
