/**
 * One transaction read from a statement file, before it is tied to an account. `line` is
 * where it starts in the file, for error messages. `externalId` is the bank's own id
 * (OFX FITID, a mapped CSV id column) when there is one.
 */
export interface StatementRow {
  line: number;
  date: string;
  amountMinor: number;
  payee: string | null;
  memo: string | null;
  category: string | null;
  externalId: string | null;
}
