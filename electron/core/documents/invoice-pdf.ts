import type { Content, TableCell } from 'pdfmake/interfaces.js';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatMoney } from '../../../shared/money/format-money.js';
import {
  formatIsoDate,
  formatQuantity,
  formatRatePpm,
  paymentMethodLabel,
} from './document-text.js';
import { renderPdf } from './pdf-engine.js';
import type { PrintableDocument, PrintableParty, PrintableSender } from './printable-document.js';

export interface DocumentPdfOptions {
  /** BCP 47 locale for amounts, quantities and dates. */
  locale: string;
}

const MUTED = '#555555';
const RULE = '#cccccc';

/**
 * The PDF of an invoice or a quote: the sender's logo, name, address and contacts; the
 * client; every line with quantity, unit price, discount, tax rate and amount; subtotal,
 * discounts, tax per rate and total; the deposit requested and its due date; for an invoice
 * each payment received, the amount paid, the deposit still outstanding and the balance due; payment instructions and notes.
 * Money goes through formatMoney in the document's currency, from integer minor units.
 */
export function documentPdf(
  document: PrintableDocument,
  sender: PrintableSender,
  options: DocumentPdfOptions,
): Promise<Buffer> {
  return renderPdf(documentDefinition(document, sender, options));
}

export function documentDefinition(
  document: PrintableDocument,
  sender: PrintableSender,
  { locale }: DocumentPdfOptions,
): TDocumentDefinitions {
  const money = (minor: number) => formatMoney(minor, document.currency, locale);
  const date = (iso: string | null) => (iso === null ? '—' : formatIsoDate(iso, locale));
  const title = documentTitle(document);
  const images: Record<string, string> = {};
  if (sender.logo !== null) {
    images.logo = `data:${sender.logo.mimeType};base64,${sender.logo.content.toString('base64')}`;
  }

  const headerLeft: Content[] = [];
  if (sender.logo !== null)
    headerLeft.push({ image: 'logo', fit: [160, 64], margin: [0, 0, 0, 8] });
  headerLeft.push(...partyBlock(sender, { bold: true }));

  const headerRight: Content[] = [
    { text: title, style: 'title', alignment: 'right' },
    {
      alignment: 'right',
      margin: [0, 6, 0, 0],
      table: {
        widths: ['*', 'auto'],
        body: [
          ...(document.number === null ? [] : [[label('Number'), { text: document.number }]]),
          [label('Issued'), { text: date(document.issueDate) }],
          [
            label(document.kind === 'invoice' ? 'Due' : 'Valid until'),
            { text: date(document.untilDate) },
          ],
          [label('Currency'), { text: document.currency }],
        ],
      },
      layout: 'noBorders',
    },
  ];

  const content: Content[] = [
    {
      columns: [
        { stack: headerLeft, width: '*' },
        { stack: headerRight, width: 'auto' },
      ],
    },
    { text: document.kind === 'invoice' ? 'Bill to' : 'Prepared for', style: 'heading' },
    { stack: partyBlock(document.client, { bold: true }) },
    linesTable(document, money, locale),
    totalsTable(document, money, locale, date),
  ];
  if (document.paymentInstructions !== null && document.kind === 'invoice') {
    content.push(
      { text: 'How to pay', style: 'heading' },
      { text: paymentMethodLabel(document.paymentInstructions.method), bold: true },
      { text: document.paymentInstructions.details },
    );
  }
  if (document.notes.trim() !== '') {
    content.push({ text: 'Notes', style: 'heading' }, { text: document.notes });
  }

  return {
    info: {
      title: document.number === null ? title : `${title} ${document.number}`,
      ...(sender.name === '' ? {} : { author: sender.name }),
      creator: 'Coffer',
    },
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 56],
    images,
    content,
    footer: (currentPage: number, pageCount: number): Content => ({
      text: `${document.number ?? title} · ${currentPage} / ${pageCount}`,
      alignment: 'center',
      fontSize: 8,
      color: MUTED,
      margin: [0, 20, 0, 0],
    }),
    defaultStyle: { fontSize: 10, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 22, bold: true },
      heading: { fontSize: 11, bold: true, margin: [0, 18, 0, 4] },
      tableHeader: { bold: true, fontSize: 9, color: MUTED },
    },
  };
}

function documentTitle(document: PrintableDocument): string {
  const noun = document.kind === 'invoice' ? 'Invoice' : 'Quote';
  if (document.status === 'draft') return `Draft ${noun.toLowerCase()}`;
  if (document.status === 'void') return `${noun} (void)`;
  return noun;
}

function label(text: string): TableCell {
  return { text, color: MUTED };
}

function partyBlock(party: PrintableParty, { bold }: { bold: boolean }): Content[] {
  const block: Content[] = [];
  if (party.name !== '') block.push({ text: party.name, bold, fontSize: 12 });
  if (party.address !== null) block.push({ text: party.address });
  const contacts = [party.email, party.phone].filter((v): v is string => v !== null && v !== '');
  if (contacts.length > 0) block.push({ text: contacts.join(' · ') });
  if (party.taxId !== null && party.taxId !== '') block.push({ text: `Tax ID: ${party.taxId}` });
  return block;
}

function linesTable(
  document: PrintableDocument,
  money: (minor: number) => string,
  locale: string,
): Content {
  const header: TableCell[] = ['Description', 'Qty', 'Unit price', 'Discount', 'Tax', 'Amount'].map(
    (text, index) => ({ text, style: 'tableHeader', alignment: index === 0 ? 'left' : 'right' }),
  );
  const rows: TableCell[][] = document.lines.map((line, index) => {
    const totals = document.totals.lines[index];
    return [
      { text: line.description },
      { text: formatQuantity(line.quantityMilli, locale), alignment: 'right' },
      { text: money(line.unitPriceMinor), alignment: 'right' },
      {
        text: line.discountPpm === 0 ? '' : formatRatePpm(line.discountPpm, locale),
        alignment: 'right',
      },
      { text: formatRatePpm(line.taxRatePpm, locale), alignment: 'right' },
      { text: money(totals?.netMinor ?? 0), alignment: 'right' },
    ];
  });
  return {
    margin: [0, 18, 0, 0],
    table: {
      headerRows: 1,
      widths: ['*', 'auto', 'auto', 'auto', 'auto', 'auto'],
      body: [header, ...rows],
    },
    layout: {
      hLineWidth: (i: number) => (i === 1 ? 1 : 0.5),
      vLineWidth: () => 0,
      hLineColor: () => RULE,
      paddingTop: () => 4,
      paddingBottom: () => 4,
    },
  };
}

function totalsTable(
  document: PrintableDocument,
  money: (minor: number) => string,
  locale: string,
  date: (iso: string | null) => string,
): Content {
  const { totals } = document;
  const rows: TableCell[][] = [];
  const row = (text: string, amount: string, strong = false): void => {
    rows.push([
      { text, bold: strong, color: strong ? undefined : MUTED },
      { text: amount, bold: strong, alignment: 'right' },
    ]);
  };
  if (totals.discountMinor !== 0) {
    row('Before discounts', money(totals.grossMinor));
    row('Discounts', money(-totals.discountMinor));
  }
  row('Subtotal', money(totals.subtotalMinor));
  for (const tax of totals.taxBreakdown) {
    if (tax.taxRatePpm === 0) continue;
    row(
      `Tax ${formatRatePpm(tax.taxRatePpm, locale)} on ${money(tax.netMinor)}`,
      money(tax.taxMinor),
    );
  }
  row('Total', money(totals.totalMinor), true);
  const { deposit } = document;
  if (deposit !== null) {
    const due = deposit.dueDate === null ? '' : `, due ${date(deposit.dueDate)}`;
    row(`Deposit requested${due}`, money(deposit.amountMinor));
  }
  if (document.kind === 'invoice') {
    for (const payment of document.payments) {
      const reference = payment.reference === '' ? '' : ` · ${payment.reference}`;
      row(
        `Paid ${date(payment.date)} · ${paymentMethodLabel(payment.method)}${reference}`,
        money(-payment.amountMinor),
      );
    }
    row('Amount paid', money(document.paidMinor));
    if (deposit !== null && deposit.outstandingMinor > 0) {
      row('Deposit outstanding', money(deposit.outstandingMinor), true);
    }
    row('Balance due', money(document.balanceDueMinor), true);
  }
  return {
    margin: [0, 12, 0, 0],
    columns: [
      { text: '', width: '*' },
      {
        width: 'auto',
        table: { widths: ['auto', 'auto'], body: rows },
        layout: {
          hLineWidth: (i: number, node: { table: { body: unknown[] } }) =>
            i === 0 || i === node.table.body.length ? 0 : 0.5,
          vLineWidth: () => 0,
          hLineColor: () => RULE,
        },
      },
    ],
  };
}
