import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { child, findAllOf, type OfxElement } from './ofx-tree.js';

// Texts the OFX specification gives the codes banks most often send without a <MESSAGE>.
const KNOWN_CODES: Readonly<Record<string, string>> = {
  '2000': 'General error',
  '2001': 'Invalid account',
  '2002': 'General account error',
  '2003': 'Account not found',
  '2004': 'Account closed',
  '2005': 'Account not authorized',
  '2019': 'Duplicate request',
  '2020': 'Invalid date',
  '15000': 'Must change USER PIN',
  '15500': 'Signon invalid',
  '15501': 'Customer account already in use',
  '15502': 'USERPASS lockout',
};

const RESPONSES = new Set(['SONRS', 'STMTTRNRS', 'CCSTMTTRNRS', 'INVSTMTTRNRS']);
const STATEMENTS = new Set(['STMTRS', 'CCSTMTRS', 'INVSTMTRS']);

/**
 * A bank that cannot answer still sends a well-formed OFX file, with the reason in a
 * <STATUS> of the sign-on or statement response. That reason is the user's only clue
 * (a locked login, a closed account), so it is shown as the bank wrote it. A non-zero code
 * is fatal when its severity is ERROR or the response carries no statement; an
 * informational code beside a statement is returned as a warning.
 */
export function checkBankStatus(ofx: OfxElement): string[] {
  const warnings: string[] = [];
  const hasStatement = findAllOf(ofx, STATEMENTS).length > 0;
  for (const response of findAllOf(ofx, RESPONSES)) {
    const status = child(response, 'STATUS');
    const code = status === undefined ? null : (child(status, 'CODE')?.value ?? null);
    if (status === undefined || code === null || /^0+$/.test(code)) continue;
    const severity = (child(status, 'SEVERITY')?.value ?? 'ERROR').toUpperCase();
    const message = child(status, 'MESSAGE')?.value ?? KNOWN_CODES[code] ?? 'no message';
    const carries =
      response.name === 'SONRS' ? hasStatement : findAllOf(response, STATEMENTS).length > 0;
    if (severity === 'ERROR' || !carries) {
      throw new CofferError(
        'IMPORT_BANK_ERROR',
        `line ${status.line}: the bank answered: "${message}" (OFX code ${code}, ${severity}); no statement was imported`,
        { code, severity, message, line: status.line },
      );
    }
    warnings.push(
      `line ${status.line}: the bank noted: "${message}" (OFX code ${code}, ${severity})`,
    );
  }
  return warnings;
}
