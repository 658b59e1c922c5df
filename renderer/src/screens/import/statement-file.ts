/**
 * A statement the user picked, read in the window and sent to the core as base64 (the
 * core reads it from memory; it is never written to disk). Its format is guessed from the
 * name and can be changed on screen.
 */
import { IMPORT_FILE_MAX_BYTES } from '../../../../shared/api/import.methods.js';
import type { StatementFormat } from '../../../../shared/domain/import-result.js';

export interface PickedStatement {
  /** Changes with every pick, so a preview of an earlier file is never shown for this one. */
  id: number;
  name: string;
  bytes: number;
  contentBase64: string;
}

export const FORMAT_LABELS: Record<StatementFormat, string> = {
  csv: 'CSV (spreadsheet export)',
  ofx: 'OFX / QFX',
  qif: 'QIF (Quicken)',
  camt053: 'CAMT.053 (ISO 20022 XML)',
  mt940: 'MT940 (SWIFT)',
};

export const ACCEPTED_EXTENSIONS = [
  '.csv',
  '.tsv',
  '.txt',
  '.ofx',
  '.qfx',
  '.qif',
  '.xml',
  '.sta',
  '.mt940',
  '.940',
];

export function guessFormat(name: string): StatementFormat {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'ofx' || ext === 'qfx') return 'ofx';
  if (ext === 'qif') return 'qif';
  if (ext === 'xml') return 'camt053';
  if (ext === 'sta' || ext === 'mt940' || ext === '940') return 'mt940';
  return 'csv';
}

/** Formats that name their own account (by bank id), so the account may be left to it. */
export function namesItsAccount(format: StatementFormat): boolean {
  return format === 'ofx' || format === 'camt053' || format === 'mt940';
}

let nextId = 1;

export async function readStatementFile(file: File): Promise<PickedStatement> {
  if (file.size > IMPORT_FILE_MAX_BYTES) {
    throw new Error(
      `${file.name} is larger than the ${IMPORT_FILE_MAX_BYTES / (1024 * 1024)} MiB import limit`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { id: nextId++, name: file.name, bytes: bytes.length, contentBase64: toBase64(bytes) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}
