import type { StatementExtra } from '../statement.js';

export interface Mt940Information {
  payee: string | null;
  memo: string | null;
  extras: StatementExtra[];
  /** Every descriptive text of the field, for the description key. */
  texts: string[];
  /** Which form the field was read as, for the summary. */
  form: 'german' | 'dutch' | 'free';
}

/**
 * Reads a `:86:` "information to account owner" field in the form it is written:
 * the German structured form (a three-digit business code, then ?NN subfields), the
 * Dutch /KEY/value form (ING, ABN AMRO, Rabobank), or free text. Structured forms are
 * wrapped at 65 characters wherever the line fills up, so their lines are joined
 * without a space; free text is wrapped between words, so its lines are joined with one.
 */
export function parseInformation(value: string): Mt940Information {
  const joined = value.replace(/\n/g, '');
  const form = informationForm(joined);
  if (form === 'german') return germanForm(joined);
  if (form === 'dutch') return dutchForm(joined);
  const text = value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  return { payee: null, memo: text === '' ? null : text, extras: [], texts: [text], form: 'free' };
}

/** Which form a `:86:` field (its lines joined) is written in, without reading it. */
export function informationForm(joined: string): Mt940Information['form'] {
  if (GERMAN_START.test(joined)) return 'german';
  return DUTCH_START.test(joined) ? 'dutch' : 'free';
}

const GERMAN_START = /^\d{3}\?\d{2}/;
const SUBFIELD = /\?(\d{2})/g;
const SUBFIELD_LABELS: Readonly<Record<string, string>> = {
  '10': 'Primanota',
  '30': 'Counterparty bank code',
  '31': 'Counterparty account',
  '34': 'Text key extension',
};
const SEPA_KEYWORD = /(EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC)\+/;
const SEPA_SPLIT = new RegExp(SEPA_KEYWORD.source, 'g');
const SEPA_LABELS: Readonly<Record<string, string>> = {
  EREF: 'EndToEndId',
  KREF: 'Customer reference (KREF)',
  MREF: 'MndtId',
  CRED: 'Creditor id',
  DEBT: 'Debtor id',
  COAM: 'Compensation amount',
  OAMT: 'Original amount',
  ABWA: 'Ultimate debtor',
  ABWE: 'Ultimate creditor',
  IBAN: 'Counterparty IBAN',
  BIC: 'Counterparty BIC',
};

function germanForm(joined: string): Mt940Information {
  const extras: StatementExtra[] = [
    { label: 'Business transaction code', value: joined.slice(0, 3) },
  ];
  const purpose: string[] = [];
  let posting = '';
  let name = '';
  const marks = [...joined.matchAll(SUBFIELD)];
  marks.forEach((mark, i) => {
    const code = mark[1] ?? '';
    const start = (mark.index ?? 0) + 3;
    const text = joined.slice(start, marks[i + 1]?.index ?? joined.length);
    const n = Number(code);
    if (code === '00') posting += text;
    else if ((n >= 20 && n <= 29) || (n >= 60 && n <= 63)) purpose.push(text);
    else if (code === '32' || code === '33') name += text;
    else if (text.trim() !== '')
      extras.push({ label: SUBFIELD_LABELS[code] ?? `?${code}`, value: text.trim() });
  });
  const sepa = SEPA_KEYWORD.test(purpose.join(''));
  // SEPA purpose text runs across the 27-character subfields mid-word; older texts use one a line.
  const purposeText = (sepa ? purpose.join('') : purpose.map((p) => p.trim()).join(' ')).trim();
  let memoText = purposeText;
  const texts: string[] = [];
  if (sepa) {
    const parts = purposeText.split(SEPA_SPLIT);
    memoText = (parts[0] ?? '').trim();
    for (let i = 1; i < parts.length; i += 2) {
      const keyword = parts[i] ?? '';
      const text = (parts[i + 1] ?? '').trim();
      if (keyword === 'SVWZ') memoText = [memoText, text].filter((t) => t !== '').join(' ');
      else if (text !== '') extras.push({ label: SEPA_LABELS[keyword] ?? keyword, value: text });
      if (keyword === 'ABWA' || keyword === 'ABWE') texts.push(text);
    }
  }
  const payee = name.trim();
  const memo = [memoText, posting.trim()].filter((t) => t !== '').join(' | ');
  texts.push(payee, memoText, posting);
  return {
    payee: payee === '' ? null : payee,
    memo: memo === '' ? null : memo,
    extras,
    texts,
    form: 'german',
  };
}

const DUTCH_KEYS = [
  'TRTP',
  'IBAN',
  'BIC',
  'NAME',
  'REMI',
  'EREF',
  'MARF',
  'CSID',
  'CNTP',
  'ORDP',
  'BENM',
  'ULTD',
  'ULTC',
  'ULTB',
  'PURP',
  'RTRN',
  'ISDT',
  'IREF',
  'PREF',
  'CHGS',
  'EXCH',
  'OCMT',
  'SVCL',
  'ADDR',
  'CREF',
  'ATMT',
  'TRCD',
  'ID',
];
const DUTCH_START = new RegExp(`^/(?:${DUTCH_KEYS.join('|')})/`);
const DUTCH_SPLIT = new RegExp(`/(${DUTCH_KEYS.join('|')})/`);
const DUTCH_LABELS: Readonly<Record<string, string>> = {
  TRTP: 'Transaction type',
  IBAN: 'Counterparty IBAN',
  BIC: 'Counterparty BIC',
  EREF: 'EndToEndId',
  MARF: 'MndtId',
  CSID: 'Creditor id',
  PURP: 'Purpose code',
  RTRN: 'Return reason',
};

function dutchForm(joined: string): Mt940Information {
  const parts = joined.split(DUTCH_SPLIT);
  const extras: StatementExtra[] = [];
  let payee: string | null = null;
  let memo: string | null = null;
  const texts: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] ?? '';
    const text = (parts[i + 1] ?? '').replace(/\/+$/, '').trim();
    if (text === '') continue;
    if (key === 'NAME' && payee === null) {
      payee = text;
    } else if (key === 'REMI' && memo === null) {
      // ING writes USTD// before free remittance text and STRD/CUR/ before a creditor reference.
      memo = text.replace(/^(?:USTD\/\/|STRD\/CUR\/)/, '');
    } else if (key === 'CNTP') {
      const [account, bic, name, city] = text.split('/');
      if (account) extras.push({ label: 'Counterparty IBAN', value: account });
      if (bic) extras.push({ label: 'Counterparty BIC', value: bic });
      if (name) {
        if (payee === null) payee = name;
        else extras.push({ label: 'Counterparty name', value: name });
      }
      if (city) extras.push({ label: 'Counterparty city', value: city });
    } else {
      extras.push({ label: DUTCH_LABELS[key] ?? `/${key}/`, value: text });
      if (key === 'NAME' || key === 'ULTD' || key === 'ULTC') texts.push(text);
    }
  }
  texts.push(payee ?? '', memo ?? '');
  return { payee, memo, extras, texts, form: 'dutch' };
}
