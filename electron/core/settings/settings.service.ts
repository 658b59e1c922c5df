import {
  DocumentProfilePatchSchema,
  PreferencesPatchSchema,
  type DocumentProfile,
  type DocumentProfilePatch,
  type LogoMimeType,
  type Preferences,
  type PreferencesPatch,
} from '../../../shared/domain/settings.schema.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import { editedFields, type Fields } from '../sync/edited-fields.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { DevicePreferencesRepository } from './device-preferences.repository.js';
import { DOCUMENT_PROFILE_ID, DocumentProfileRepository } from './document-profile.repository.js';
import { checkLogoImage } from './logo-image.js';

/** A profile never saved: empty, so documents print without a sender block. */
const EMPTY_PROFILE: DocumentProfile = {
  name: '',
  address: null,
  email: null,
  phone: null,
  taxId: null,
  logoAttachmentId: null,
  paymentInstructions: null,
  updatedAt: 0,
};

export interface Logo {
  mimeType: LogoMimeType;
  content: Buffer;
}

/**
 * The document profile printed on invoices and quotes (synced as the `settings` record
 * `document-profile`) and this device's preferences (never synced). The logo is an
 * attachment inside the encrypted vault, checked by its bytes to be a PNG or JPEG of at
 * most 1 MiB.
 */
export class SettingsService {
  private readonly profiles: DocumentProfileRepository;
  private readonly preferences: DevicePreferencesRepository;

  constructor(
    private readonly vault: Vault,
    private readonly attachments: AttachmentService,
  ) {
    this.profiles = new DocumentProfileRepository(vault.db);
    this.preferences = new DevicePreferencesRepository(vault.db);
  }

  getProfile(): DocumentProfile {
    return this.profiles.find() ?? { ...EMPTY_PROFILE };
  }

  /** Only the fields given change; null clears one. */
  updateProfile(patch: DocumentProfilePatch): DocumentProfile {
    const data = parseInput(DocumentProfilePatchSchema, patch, 'document profile');
    const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    return this.vault.transaction(() => this.saveProfile(defined));
  }

  /**
   * Stores a new logo and drops the old one. LOGO_UNSUPPORTED_TYPE unless the bytes are a
   * PNG or JPEG, LOGO_TOO_LARGE past 1 MiB; nothing is written then.
   */
  setLogo(content: Uint8Array): DocumentProfile {
    const mimeType = checkLogoImage(content);
    return this.vault.transaction(() => {
      const previous = this.getProfile().logoAttachmentId;
      const attachment = this.attachments.add({
        fileName: mimeType === 'image/png' ? 'logo.png' : 'logo.jpg',
        mimeType,
        content,
      });
      const profile = this.saveProfile({ logoAttachmentId: attachment.id });
      if (previous !== null) this.attachments.remove(previous);
      return profile;
    });
  }

  removeLogo(): DocumentProfile {
    return this.vault.transaction(() => {
      const previous = this.getProfile().logoAttachmentId;
      if (previous === null) return this.getProfile();
      const profile = this.saveProfile({ logoAttachmentId: null });
      this.attachments.remove(previous);
      return profile;
    });
  }

  /** The logo's bytes (verified against their SHA-256), or null when none is set. */
  readLogo(): Logo | null {
    const id = this.getProfile().logoAttachmentId;
    if (id === null) return null;
    const meta = this.attachments.get(id);
    return {
      mimeType: meta.mimeType === 'image/png' ? 'image/png' : 'image/jpeg',
      content: this.attachments.readContent(id),
    };
  }

  getPreferences(): Preferences {
    return this.preferences.read();
  }

  /** Locale (BCP 47, stored canonical; null follows the system) and theme. */
  updatePreferences(patch: PreferencesPatch): Preferences {
    const data = parseInput(PreferencesPatchSchema, patch, 'preferences');
    return this.vault.transaction(() => {
      const next: Preferences = {
        ...this.preferences.read(),
        ...(data.locale === undefined ? {} : { locale: data.locale }),
        ...(data.theme === undefined ? {} : { theme: data.theme }),
      };
      this.preferences.save(next);
      return next;
    });
  }

  /**
   * Writes the profile and records its change: every field when the record is new (so a
   * device that never saw it gets all of them), else only the edited ones.
   */
  private saveProfile(changes: Partial<DocumentProfile>): DocumentProfile {
    const stored = this.profiles.find();
    const before = stored ?? EMPTY_PROFILE;
    const after: DocumentProfile = { ...before, ...changes, updatedAt: this.vault.now() };
    const fields: Fields | null =
      stored === undefined ? { ...after } : editedFields({ ...before }, { ...after });
    if (fields === null) return before;
    this.profiles.save(after);
    this.vault.changes.record('settings', DOCUMENT_PROFILE_ID, 'upsert', fields);
    return after;
  }
}
