import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES } from '../../../shared/domain/settings.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { AttachmentService } from '../attachments/attachment.service.js';
import { makePng, sampleLogoPng } from '../testing/png-image.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { openVault, type Vault } from '../vault/vault.js';
import { SettingsService } from './settings.service.js';

const NOW = Date.UTC(2025, 2, 15, 12);
/** The markers of a baseline JPEG (SOI, APP0 JFIF, SOF0 of 16×8, EOI): what the check reads. */
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  Buffer.from([0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]),
  Buffer.from([0xff, 0xd9]),
]);

let temp: TempVault;
let clock: { now: number };
let attachments: AttachmentService;
let settings: SettingsService;

beforeEach(async () => {
  clock = { now: NOW };
  temp = await createTempVault({ now: () => clock.now, outbox: true });
  attachments = new AttachmentService(temp.vault);
  settings = new SettingsService(temp.vault, attachments);
});

afterEach(() => temp.cleanup());

function expectCode(fn: () => unknown, code: string): CofferError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CofferError);
    expect((error as CofferError).code).toBe(code);
    return error as CofferError;
  }
  throw new Error(`expected ${code}`);
}

/** Rows and outbox entries, to prove a refused call wrote nothing. */
function snapshot(vault: Vault = temp.vault): Record<string, number> {
  return Object.fromEntries(
    ['document_profile', 'device_preferences', 'attachments', 'outbox'].map((table) => [
      table,
      Number(vault.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()),
    ]),
  );
}

function settingsChanges() {
  return temp.vault.changes
    .pending(1000)
    .map((e) => e.change)
    .filter((c) => c.collection === 'settings');
}

describe('SettingsService: document profile', () => {
  it('starts empty, then keeps what was saved, Unicode and line breaks included', () => {
    expect(settings.getProfile()).toMatchObject({
      name: '',
      address: null,
      logoAttachmentId: null,
    });
    const saved = settings.updateProfile({
      name: '  Zoë Ångström Design ',
      address: 'ul. Piotrkowska 1\r\n  90-001 Łódź  \r\nPolska',
      email: 'zoe@example.test',
      phone: '+48 42 000 00 00',
      taxId: 'PL1234567890',
      paymentInstructions: { method: 'bank_transfer', details: 'IBAN PL00 1111 2222' },
    });
    expect(saved).toEqual({
      name: 'Zoë Ångström Design',
      address: 'ul. Piotrkowska 1\n90-001 Łódź\nPolska',
      email: 'zoe@example.test',
      phone: '+48 42 000 00 00',
      taxId: 'PL1234567890',
      logoAttachmentId: null,
      paymentInstructions: { method: 'bank_transfer', details: 'IBAN PL00 1111 2222' },
      updatedAt: NOW,
    });
    expect(settings.getProfile()).toEqual(saved);
    clock.now += 1000;
    const edited = settings.updateProfile({ phone: null, name: 'Zoë Ångström' });
    expect(edited).toMatchObject({ phone: null, name: 'Zoë Ångström', taxId: 'PL1234567890' });
    expect(settings.getProfile()).toEqual(edited);
  });

  it('syncs the profile as one settings record: every field first, then only what changed', () => {
    settings.updateProfile({ name: 'Zoë', email: 'zoe@example.test' });
    clock.now += 1000;
    settings.updateProfile({ email: 'hello@example.test' });
    settings.updateProfile({ email: 'hello@example.test' }); // no change, no record
    const changes = settingsChanges();
    expect(changes.map((c) => c.recordId)).toEqual(['document-profile', 'document-profile']);
    expect(changes[0]?.fields).toEqual({
      name: 'Zoë',
      address: null,
      email: 'zoe@example.test',
      phone: null,
      taxId: null,
      logoAttachmentId: null,
      paymentInstructions: null,
      updatedAt: NOW,
    });
    expect(changes[1]?.fields).toEqual({ email: 'hello@example.test', updatedAt: NOW + 1000 });
  });

  it('refuses unknown fields and bad values, writing nothing', () => {
    settings.updateProfile({ name: 'Zoë' });
    const before = snapshot();
    expectCode(
      () => settings.updateProfile({ name: 'x', logoAttachmentId: null } as never),
      'INVALID_INPUT',
    );
    expectCode(() => settings.updateProfile({ colour: 'red' } as never), 'INVALID_INPUT');
    expectCode(() => settings.updateProfile({ email: 'not an email' }), 'INVALID_INPUT');
    expectCode(() => settings.updateProfile({ name: 'Zoë\u0007' }), 'INVALID_INPUT');
    expectCode(() => settings.updateProfile({ address: 'x'.repeat(1001) }), 'INVALID_INPUT');
    expectCode(
      () =>
        settings.updateProfile({ paymentInstructions: { method: 'barter', details: '' } } as never),
      'INVALID_INPUT',
    );
    expect(snapshot()).toEqual(before);
    expect(settings.getProfile().name).toBe('Zoë');
  });
});

describe('SettingsService: logo', () => {
  it('stores a PNG or a JPEG in the vault and reads the same bytes back', () => {
    const png = sampleLogoPng();
    const withPng = settings.setLogo(png);
    expect(withPng.logoAttachmentId).not.toBeNull();
    expect(settings.readLogo()).toEqual({ mimeType: 'image/png', content: png });
    clock.now += 1000;
    const withJpeg = settings.setLogo(JPEG);
    expect(settings.readLogo()).toEqual({ mimeType: 'image/jpeg', content: JPEG });
    // The replaced logo is gone from the vault, not left behind.
    expect(attachments.list().map((a) => a.id)).toEqual([withJpeg.logoAttachmentId]);
    settings.removeLogo();
    expect(settings.readLogo()).toBeNull();
    expect(settings.getProfile().logoAttachmentId).toBeNull();
    expect(attachments.list()).toEqual([]);
    expect(settingsChanges().at(-1)?.fields).toMatchObject({ logoAttachmentId: null });
  });

  it('judges the type by the bytes: a GIF, a PDF or text is refused whatever it is called', () => {
    const before = snapshot();
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1');
    const pngSignatureOnly = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = sampleLogoPng();
    const pngOfNoSize = Buffer.from(png);
    pngOfNoSize.writeUInt32BE(0, 16); // width 0
    // A JPEG start with no frame header: nothing says how large the image is.
    const jpegWithoutFrame = Buffer.concat([JPEG.subarray(0, 20), Buffer.from([0xff, 0xd9])]);
    const jpegCutShort = JPEG.subarray(0, JPEG.length - 8);
    for (const bytes of [
      gif,
      pdf,
      Buffer.from('<svg/>'),
      pngSignatureOnly,
      pngOfNoSize,
      jpegWithoutFrame,
      jpegCutShort,
      Buffer.alloc(0),
    ]) {
      expectCode(() => settings.setLogo(bytes), 'LOGO_UNSUPPORTED_TYPE');
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a logo over 1 MiB, and keeps one of exactly 1 MiB', () => {
    const overhead = makePng(2, 2, () => [0, 0, 0], { padding: 0 }).length;
    const exact = makePng(2, 2, () => [0, 0, 0], { padding: LOGO_MAX_BYTES - overhead });
    expect(exact.length).toBe(LOGO_MAX_BYTES);
    const over = makePng(2, 2, () => [0, 0, 0], { padding: LOGO_MAX_BYTES - overhead + 1 });
    const before = snapshot();
    const error = expectCode(() => settings.setLogo(over), 'LOGO_TOO_LARGE');
    expect(error.details).toEqual({ size: LOGO_MAX_BYTES + 1, limit: LOGO_MAX_BYTES });
    expect(snapshot()).toEqual(before);
    settings.setLogo(exact);
    expect(settings.readLogo()?.content.length).toBe(LOGO_MAX_BYTES);
  });
});

describe('SettingsService: preferences', () => {
  it('defaults to the system locale and theme, stores canonical BCP 47 tags, and survives a restart', async () => {
    expect(settings.getPreferences()).toEqual({ locale: null, theme: 'system' });
    expect(settings.updatePreferences({ locale: 'EN-gb', theme: 'dark' })).toEqual({
      locale: 'en-GB',
      theme: 'dark',
    });
    expect(settings.updatePreferences({ locale: 'zh-hant-tw' }).locale).toBe('zh-Hant-TW');
    // Device state: not a synced change.
    expect(temp.vault.changes.pendingCount()).toBe(0);
    temp.vault.close();
    const reopened = await openVault({ dir: temp.dir, keyStore: temp.keyStore });
    try {
      const again = new SettingsService(reopened, new AttachmentService(reopened));
      expect(again.getPreferences()).toEqual({ locale: 'zh-Hant-TW', theme: 'dark' });
    } finally {
      reopened.close();
    }
  });

  it('refuses what is not a locale or a theme, writing nothing', () => {
    settings.updatePreferences({ locale: 'fr-CA' });
    const before = snapshot();
    for (const locale of ['en_US', 'not a locale', '', 'x'.repeat(101), 'en-US-u-']) {
      expectCode(() => settings.updatePreferences({ locale }), 'INVALID_LOCALE');
    }
    expectCode(() => settings.updatePreferences({ theme: 'sepia' } as never), 'INVALID_INPUT');
    expectCode(() => settings.updatePreferences({ fontSize: 12 } as never), 'INVALID_INPUT');
    expect(snapshot()).toEqual(before);
    expect(settings.getPreferences()).toEqual({ locale: 'fr-CA', theme: 'system' });
  });
});
