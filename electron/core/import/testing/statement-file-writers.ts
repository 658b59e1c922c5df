/**
 * Test-side writers of the non-CSV statement formats (QIF, OFX, CAMT.053, MT940), each in
 * the shape banks export, for the import round-trip properties.
 */
import type { STATEMENT_FORMATS } from '../../../../shared/domain/import.schema.js';
import type { DialectRow } from './bank-dialects.js';

type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export interface StatementFileWriter {
  name: string;
  format: StatementFormat;
  currency: string;
  /** `accountId` is the bank's id of the account, unique per file in the properties. */
  write(rows: readonly DialectRow[], accountId: string): string;
  /** Reader options that settle the day/month order when the file alone cannot. */
  dateChoice?: Record<string, unknown>;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function decimal(minor: number, point: string): string {
  const abs = Math.abs(minor);
  return `${Math.floor(abs / 100)}${point}${pad(abs % 100)}`;
}

const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const compact = (iso: string): string => iso.replace(/-/g, '');

/** Cuts text into pieces of at most `size` characters at spaces (no word is longer). */
function wrapWords(text: string, size: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current === '' ? word : `${current} ${word}`;
    if (next.length > size && current !== '') {
      pieces.push(current);
      current = word;
    } else current = next;
  }
  pieces.push(current);
  return pieces;
}

const chunks = (text: string, size: number): string[] =>
  text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [''];

export const STATEMENT_FILE_WRITERS: readonly StatementFileWriter[] = [
  {
    name: 'QIF from Quicken (MM/DD/YYYY)',
    format: 'qif',
    currency: 'USD',
    dateChoice: { dateFormat: 'MM/DD/YYYY' },
    write: (rows) =>
      [
        '!Type:Bank',
        ...rows.flatMap((r) => [
          `D${r.date.slice(5, 7)}/${r.date.slice(8, 10)}/${r.date.slice(0, 4)}`,
          `T${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, '.')}`,
          `P${r.payee}`,
          `M${r.memo}`,
          '^',
        ]),
        '',
      ].join('\r\n'),
  },
  {
    name: 'OFX 1.02 SGML bank statement',
    format: 'ofx',
    currency: 'USD',
    write: (rows, accountId) =>
      [
        'OFXHEADER:100',
        'DATA:OFXSGML',
        'VERSION:102',
        'SECURITY:NONE',
        'ENCODING:USASCII',
        'CHARSET:1252',
        'COMPRESSION:NONE',
        'OLDFILEUID:NONE',
        'NEWFILEUID:NONE',
        '',
        '<OFX>',
        '<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>',
        '<DTSERVER>20410101120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>',
        '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>',
        '<STMTRS><CURDEF>USD',
        `<BANKACCTFROM><BANKID>071000013<ACCTID>${accountId}<ACCTTYPE>CHECKING</BANKACCTFROM>`,
        '<BANKTRANLIST><DTSTART>19900101<DTEND>20410101',
        ...rows.map(
          (r, i) =>
            `<STMTTRN><TRNTYPE>${r.amountMinor < 0 ? 'DEBIT' : 'CREDIT'}<DTPOSTED>${compact(r.date)}120000` +
            `<TRNAMT>${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, '.')}<FITID>${accountId}-${i + 1}` +
            `<NAME>${xml(r.payee)}<MEMO>${xml(r.memo)}</STMTTRN>`,
        ),
        '</BANKTRANLIST>',
        '<LEDGERBAL><BALAMT>0.00<DTASOF>20410101</LEDGERBAL>',
        '</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
        '',
      ].join('\r\n'),
  },
  {
    name: 'CAMT.053.001.02 with remittance text and counterparty',
    format: 'camt053',
    currency: 'EUR',
    write: (rows, accountId) =>
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
        '<BkToCstmrStmt><GrpHdr><MsgId>RT-1</MsgId><CreDtTm>2041-01-01T00:00:00</CreDtTm></GrpHdr>',
        `<Stmt><Id>RT-${accountId}</Id><CreDtTm>2041-01-01T00:00:00</CreDtTm>`,
        `<Acct><Id><Othr><Id>${accountId}</Id></Othr></Id><Ccy>EUR</Ccy></Acct>`,
        ...rows.map((r) => {
          const debit = r.amountMinor < 0;
          const party = debit ? 'Cdtr' : 'Dbtr';
          return (
            `<Ntry><Amt Ccy="EUR">${decimal(r.amountMinor, '.')}</Amt>` +
            `<CdtDbtInd>${debit ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts>` +
            `<BookgDt><Dt>${r.date}</Dt></BookgDt><ValDt><Dt>${r.date}</Dt></ValDt>` +
            `<NtryDtls><TxDtls><RltdPties><${party}><Nm>${xml(r.payee)}</Nm></${party}></RltdPties>` +
            `<RmtInf><Ustrd>${xml(r.memo)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`
          );
        }),
        '</Stmt></BkToCstmrStmt></Document>',
        '',
      ].join('\n'),
  },
  {
    name: 'MT940 in the German :86: form (?20 purpose, ?32 name)',
    format: 'mt940',
    currency: 'EUR',
    write: (rows, accountId) => {
      const lines = [':20:STARTUMSE', `:25:10050000/${accountId}`, ':28C:00001/001'];
      lines.push(':60F:C900101EUR0,00');
      for (const r of rows) {
        const yymmdd = compact(r.date).slice(2);
        const sign = r.amountMinor < 0 ? 'D' : 'C';
        lines.push(
          `:61:${yymmdd}${yymmdd.slice(2)}${sign}${decimal(r.amountMinor, ',')}NTRFNONREF`,
        );
        const purpose = wrapWords(r.memo, 27).map((p, i) => `?${20 + i}${p}`);
        const name = chunks(r.payee, 27).map((p, i) => `?${32 + i}${p}`);
        lines.push(...chunks(`:86:166${purpose.join('')}${name.join('')}`, 65));
      }
      // Readers check the closing balance against the opening one and the rows.
      const closing = rows.reduce((sum, r) => sum + r.amountMinor, 0);
      lines.push(`:62F:${closing < 0 ? 'D' : 'C'}410101EUR${decimal(closing, ',')}`, '-', '');
      return lines.join('\r\n');
    },
  },
];
