import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const config = parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

let compiled: ReturnType<Ajv['compile']> | null = null;

/** Compiled once: the schema is large and compiling it takes seconds. */
function validator(): ReturnType<Ajv['compile']> {
  if (compiled !== null) return compiled;
  const schema = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  // electron-builder's schema uses its own `typeof` keyword (for hooks given as functions).
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addKeyword({ keyword: 'typeof', schemaType: 'string' });
  compiled = ajv.compile(schema);
  return compiled;
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own JSON schema", () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: a misspelt fuse or an unknown key fails it', () => {
    const validate = validator();
    const fuses = config['electronFuses'] as Record<string, unknown>;
    expect(validate({ ...config, electronFuses: { ...fuses, runAsNodee: false } })).toBe(false);
    expect(validate({ ...config, notAnOption: true })).toBe(false);
  });

  it('sets exactly the fuses: RunAsNode, NODE_OPTIONS, inspect off; cookie encryption, asar integrity, asar-only on', () => {
    expect(config['electronFuses']).toStrictEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config['asar']).toBe(true);
  });

  it('targets nsis, dmg with hardened runtime and entitlements, AppImage and deb', () => {
    expect(config['win']).toMatchObject({ target: ['nsis'] });
    expect(config['mac']).toMatchObject({
      target: ['dmg'],
      hardenedRuntime: true,
      entitlements: 'build/resources/entitlements.mac.plist',
      entitlementsInherit: 'build/resources/entitlements.mac.plist',
    });
    expect(config['linux']).toMatchObject({ target: ['AppImage', 'deb'] });
  });

  it('leaves out only the font files PDFs never load: the regular and bold .woff stay', () => {
    const exclusions = (config['files'] as string[]).filter((entry) => entry.startsWith('!'));
    for (const exclusion of exclusions) expect(exclusion).not.toMatch(/400|700|\.woff$/);
    const engine = fs.readFileSync(
      path.join(ROOT, 'electron/core/documents/pdf-engine.ts'),
      'utf8',
    );
    const slices = fs.readFileSync(
      path.join(ROOT, 'electron/core/documents/cjk-slices.ts'),
      'utf8',
    );
    const used = [
      ...engine.matchAll(/-(\d00)-normal\.woff'/g),
      ...slices.matchAll(/-(\d00)-normal\.woff`/g),
    ].map((match) => match[1]);
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const weight of used) expect(['400', '700']).toContain(weight);
  });

  it('rebuilds native modules and packs the built app and renderer, starting at the built main', () => {
    expect(config['npmRebuild']).toBe(true);
    expect(config['files']).toEqual([
      'dist/app/**/*',
      'dist/renderer/**/*',
      'package.json',
      '!node_modules/@fontsource/*/files/*-{100,200,300,500,600,800,900}-*',
      '!node_modules/@fontsource/*/files/*.woff2',
    ]);
    expect(config['extraMetadata']).toEqual({ main: 'dist/app/main/main.js' });
    const viteConfig = fs.readFileSync(path.join(ROOT, 'electron.vite.config.ts'), 'utf8');
    expect(viteConfig).toMatch(/main: resolve\(root, 'electron\/main\/main\.ts'\)/);
    expect(viteConfig).toMatch(/outDir: resolve\(out, 'main'\)/);
  });

  it('the macOS entitlements grant JIT and nothing else', () => {
    const plist = fs.readFileSync(
      path.join(ROOT, 'build/resources/entitlements.mac.plist'),
      'utf8',
    );
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
  });
});
