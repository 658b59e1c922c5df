import {
  ImportProfileSaveInputSchema,
  ProfileSignatureSchema,
  StatementFormatSchema,
  type ImportProfile,
  type ImportProfileSaveInput,
} from '../../../shared/domain/import.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Fields } from '../ledger/record-fields.js';
import { editedFields } from '../sync/edited-fields.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { ImportProfileRepository, type StoredImportProfile } from './import-profile.repository.js';

/** The change fields: the columns, settings as the JSON text the vault (and an export) holds. */
export function profileFields(p: StoredImportProfile): Fields {
  return {
    format: p.format,
    signature: p.signature,
    name: p.name,
    settings: p.settings,
    accountId: p.accountId,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

function toProfile(p: StoredImportProfile): ImportProfile {
  return { ...p, settings: JSON.parse(p.settings) as Record<string, unknown> };
}

/**
 * A confirmed reading of a bank's file (CSV mapping, formats, sign rule), found again by
 * the file's header signature so next month's file from the same bank needs no flags.
 */
export class ImportProfileService {
  private readonly repo: ImportProfileRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new ImportProfileRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  find(format: string, signature: string): ImportProfile | undefined {
    const f = parseInput(StatementFormatSchema, format, 'profile format');
    const s = parseInput(ProfileSignatureSchema, signature, 'profile signature');
    const found = this.repo.find(f, s);
    return found === undefined ? undefined : toProfile(found);
  }

  /** Creates the profile for (format, signature), or replaces that profile's settings. */
  save(input: ImportProfileSaveInput): ImportProfile {
    const data = parseInput(ImportProfileSaveInputSchema, input, 'import profile');
    const settings = JSON.stringify(data.settings);
    return this.vault.transaction(() => {
      const now = this.vault.now();
      const before = this.repo.find(data.format, data.signature);
      if (before === undefined) {
        const created: StoredImportProfile = {
          id: this.ids.next(),
          format: data.format,
          signature: data.signature,
          name: data.name,
          settings,
          accountId: data.accountId,
          createdAt: now,
          updatedAt: now,
        };
        this.repo.insert(created);
        this.vault.changes.record('import_profiles', created.id, 'upsert', profileFields(created));
        return toProfile(created);
      }
      const after: StoredImportProfile = {
        ...before,
        name: data.name === '' ? before.name : data.name,
        settings,
        accountId: data.accountId ?? before.accountId,
        updatedAt: now,
      };
      const changed = editedFields(profileFields(before), profileFields(after));
      if (changed === null) return toProfile(before);
      this.repo.update(after);
      this.vault.changes.record('import_profiles', after.id, 'upsert', changed);
      return toProfile(after);
    });
  }

  list(): ImportProfile[] {
    return this.repo.list().map(toProfile);
  }

  remove(id: string): void {
    this.vault.transaction(() => {
      const wanted = id.trim();
      const found = UUID_PATTERN.test(wanted) ? this.repo.findById(wanted) : undefined;
      if (found === undefined)
        throw new CofferError('NOT_FOUND', `No import profile with id ${wanted}`);
      const now = this.vault.now();
      this.repo.tombstone(found.id, now);
      this.vault.changes.record('import_profiles', found.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }
}
