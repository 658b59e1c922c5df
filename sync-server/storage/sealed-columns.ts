/**
 * Which columns hold SecretBox-sealed values or lookup hashes, so `rotate-master-key` can
 * re-encrypt and re-hash every one of them generically, in one transaction, without
 * knowing any feature. A feature that adds a sealed or lookup column appends ONE entry to
 * SEALED_COLUMNS below (same table and column names in every storage implementation).
 */
export interface SealedColumn {
  column: string;
  /** The AAD the value was sealed with, from the row id (e.g. `(id) => \`email:${id}\``). */
  aad(rowId: string): string;
}

export interface LookupColumn {
  column: string;
  /** The `kind` passed to `SecretBox.lookupHash(kind, value)`. */
  kind: string;
  /** The sealed column whose plaintext the hash is computed from (same row). */
  source: string;
}

export interface SealedColumnRotation {
  table: string;
  /** Primary key column; its value is the `rowId` given to `aad`. */
  idColumn: string;
  sealedColumns: readonly SealedColumn[];
  lookupColumns: readonly LookupColumn[];
}

export const SEALED_COLUMNS: readonly SealedColumnRotation[] = [
  {
    table: 'users',
    idColumn: 'id',
    sealedColumns: [{ column: 'email_sealed', aad: (id) => `email:${id}` }],
    lookupColumns: [{ column: 'email_lookup', kind: 'email', source: 'email_sealed' }],
  },
  {
    table: 'mfa_totp',
    idColumn: 'user_id',
    sealedColumns: [{ column: 'secret_sealed', aad: (id) => `totp:${id}` }],
    lookupColumns: [],
  },
];

/** Rewrites one row's sealed and lookup values; returns the new values by column name. */
export type SealedRowRewrite = (
  rotation: SealedColumnRotation,
  rowId: string,
  values: Readonly<Record<string, string | null>>,
) => Record<string, string | null>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names are interpolated into SQL: allow plain identifiers only. */
export function assertRotationIdentifiers(rotation: SealedColumnRotation): void {
  const names = [
    rotation.table,
    rotation.idColumn,
    ...rotation.sealedColumns.map((c) => c.column),
    ...rotation.lookupColumns.map((c) => c.column),
  ];
  for (const name of names) {
    if (!IDENTIFIER.test(name)) throw new Error(`Invalid identifier in SEALED_COLUMNS: ${name}`);
  }
  const sealed = new Set(rotation.sealedColumns.map((c) => c.column));
  for (const lookup of rotation.lookupColumns) {
    if (!sealed.has(lookup.source)) {
      throw new Error(`Lookup column ${lookup.column} names an unsealed source ${lookup.source}`);
    }
  }
}
