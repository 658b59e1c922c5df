import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The server's password rules (NIST SP 800-63B style): a length range, no
 * composition rules, and a block on passwords an attacker tries first — the offline
 * common-password list and words taken from the account's own email address. The
 * optional HaveIBeenPwned check lives in hibp.client.ts because it needs the network.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** Local parts shorter than this are too generic to ban ("jo@…" would ban every "jo"). */
const EMAIL_LOCAL_PART_MIN = 3;
/** Pieces of a dotted local part ("ann.lindqvist") banned on their own from this length. */
const EMAIL_PIECE_MIN = 4;

export type PasswordProblem =
  'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_CONTAINS_EMAIL' | 'PASSWORD_TOO_COMMON';

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem | 'PASSWORD_BREACHED', string> = {
  PASSWORD_TOO_SHORT: `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
  PASSWORD_TOO_LONG: `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`,
  PASSWORD_CONTAINS_EMAIL: 'Password must not contain your email address or parts of it.',
  PASSWORD_TOO_COMMON: 'Password is on the list of commonly used passwords; choose another.',
  PASSWORD_BREACHED: 'Password appears in a known data breach (HaveIBeenPwned); choose another.',
};

/**
 * Passwords are normalised to NFKC before they are measured or hashed, so the same
 * password typed on two keyboards (composed vs decomposed accents, full-width digits)
 * is the same password.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Length in Unicode code points (an emoji counts once, not as two UTF-16 units). */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

let commonPasswords: Set<string> | undefined;

/**
 * The list has ~49k entries but only a few hundred are 12+ characters; the Set is built
 * on first use and holds only those that could ever pass the length rule.
 */
function commonPasswordSet(): Set<string> {
  if (commonPasswords === undefined) {
    commonPasswords = new Set(
      dictionary['passwords-common']
        .map((entry) => entry.normalize('NFKC').toLowerCase())
        .filter((entry) => codePointLength(entry) >= PASSWORD_MIN_LENGTH),
    );
  }
  return commonPasswords;
}

/** Whether a list entry, or a list entry repeated ("qwertyqwerty"), is the whole password. */
export function isCommonPassword(password: string): boolean {
  const lower = normalisePassword(password).toLowerCase();
  if (commonPasswordSet().has(lower)) return true;
  // "passwordpassword", "monkeymonkey": a short common entry doubled or tripled.
  for (let unit = 1; unit <= lower.length / 2; unit += 1) {
    if (lower.length % unit !== 0) continue;
    const head = lower.slice(0, unit);
    if (head.repeat(lower.length / unit) === lower) {
      return unit <= 2 || dictionaryHas(head);
    }
  }
  return false;
}

let fullList: Set<string> | undefined;
function dictionaryHas(word: string): boolean {
  fullList ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return fullList.has(word);
}

/** The email-derived strings a password must not contain (lower case, NFKC). */
export function emailDerivedWords(normalisedEmail: string): string[] {
  const at = normalisedEmail.lastIndexOf('@');
  const local = (at === -1 ? normalisedEmail : normalisedEmail.slice(0, at))
    .normalize('NFKC')
    .toLowerCase();
  const words = new Set<string>();
  if (codePointLength(local) >= EMAIL_LOCAL_PART_MIN) words.add(local);
  // Sub-addressing ("ann+coffer") and dotted names: the pieces are just as guessable.
  for (const piece of local.split(/[._+-]+/)) {
    if (codePointLength(piece) >= EMAIL_PIECE_MIN) words.add(piece);
  }
  return [...words];
}

/**
 * The first offline rule the password breaks, or null. `email` is the account's
 * normalised email address. Order: length first (cheap, and the most useful message),
 * then email words, then the common list.
 */
export function checkPassword(password: string, email: string): PasswordProblem | null {
  const normalised = normalisePassword(password);
  const length = codePointLength(normalised);
  if (length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  const lower = normalised.toLowerCase();
  if (emailDerivedWords(email).some((word) => lower.includes(word))) {
    return 'PASSWORD_CONTAINS_EMAIL';
  }
  if (isCommonPassword(normalised)) return 'PASSWORD_TOO_COMMON';
  return null;
}
