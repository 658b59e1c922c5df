import type { DocumentProfile } from '../../../shared/domain/settings.schema.js';
import type { PaymentMethod } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

/** The profile's record id: one per vault, the same on every device (see migration 005). */
export const DOCUMENT_PROFILE_ID = 'document-profile';

interface ProfileRow {
  name: string;
  address: string | null;
  email: string | null;
  phone: string | null;
  tax_id: string | null;
  logo_attachment_id: string | null;
  payment_method: PaymentMethod | null;
  payment_details: string | null;
  updated_at: number;
}

const COLUMNS =
  'name, address, email, phone, tax_id, logo_attachment_id, payment_method, payment_details, updated_at';

function toProfile(row: ProfileRow): DocumentProfile {
  return {
    name: row.name,
    address: row.address,
    email: row.email,
    phone: row.phone,
    taxId: row.tax_id,
    logoAttachmentId: row.logo_attachment_id,
    paymentInstructions:
      row.payment_method === null
        ? null
        : { method: row.payment_method, details: row.payment_details ?? '' },
    updatedAt: row.updated_at,
  };
}

function toParams(p: DocumentProfile): Record<string, unknown> {
  return {
    id: DOCUMENT_PROFILE_ID,
    name: p.name,
    address: p.address,
    email: p.email,
    phone: p.phone,
    taxId: p.taxId,
    logoAttachmentId: p.logoAttachmentId,
    paymentMethod: p.paymentInstructions?.method ?? null,
    paymentDetails: p.paymentInstructions?.details ?? null,
    updatedAt: p.updatedAt,
  };
}

/** SQL for the single-row `document_profile` table. */
export class DocumentProfileRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  find(): DocumentProfile | undefined {
    const row = this.sql
      .get<[string], ProfileRow>(`SELECT ${COLUMNS} FROM document_profile WHERE id = ?`)
      .get(DOCUMENT_PROFILE_ID);
    return row === undefined ? undefined : toProfile(row);
  }

  save(profile: DocumentProfile): void {
    this.sql
      .get(
        `INSERT INTO document_profile (id, ${COLUMNS})
         VALUES (@id, @name, @address, @email, @phone, @taxId, @logoAttachmentId, @paymentMethod, @paymentDetails, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
           email = excluded.email, phone = excluded.phone, tax_id = excluded.tax_id,
           logo_attachment_id = excluded.logo_attachment_id, payment_method = excluded.payment_method,
           payment_details = excluded.payment_details, updated_at = excluded.updated_at`,
      )
      .run(toParams(profile));
  }
}
