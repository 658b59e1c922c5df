import type { EXPORT_METHODS } from '../../../../shared/api/export.methods.js';
import { DOWNLOAD_MAX_BYTES } from '../../../../shared/api/file-payload.js';
import { todayIso } from '../../../../shared/dates/iso-date.js';
import { exportVaultText } from '../../export/export-vault.js';
import { transactionsCsvText } from '../../export/transactions-csv.js';
import { backupBytes } from '../../vault/backup-download.js';
import type { GroupHandlers } from '../api-handler.js';
import { fileDownload } from '../file-download.js';

export const EXPORT_HANDLERS: GroupHandlers<typeof EXPORT_METHODS> = {
  vaultJson: (_input, { session }) => {
    const { vault } = session.services();
    const { text } = exportVaultText(vault, DOWNLOAD_MAX_BYTES);
    const day = todayIso(vault.now());
    return fileDownload(`coffer-export-${day}.json`, 'application/json', Buffer.from(text, 'utf8'));
  },
  transactionsCsv: (input, { session }) => {
    const { vault } = session.services();
    const filters = {
      ...(input.account === undefined ? {} : { account: input.account }),
      ...(input.month === undefined ? {} : { month: input.month }),
    };
    const { text } = transactionsCsvText(vault, filters, DOWNLOAD_MAX_BYTES);
    const day = todayIso(vault.now());
    return fileDownload(`coffer-transactions-${day}.csv`, 'text/csv', Buffer.from(text, 'utf8'));
  },
  backup: (_input, { session }) => {
    const { vault } = session.services();
    const { bytes, createdAt } = backupBytes(vault, DOWNLOAD_MAX_BYTES);
    return fileDownload(
      `coffer-backup-${todayIso(createdAt)}.cofferbackup`,
      'application/octet-stream',
      bytes,
    );
  },
};
