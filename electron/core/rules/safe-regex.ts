import { CofferError } from '../../../shared/errors/coffer-error.js';

/** Each imported row's text is cut to this before a regex runs on it. */
export const REGEX_TEXT_MAX = 500;

/**
 * More variable-length quantifiers than this can each take a share of the text, and the
 * work grows as text length to that power; two keeps the worst case on 500 characters to a
 * few million steps.
 */
const MAX_UNBOUNDED_QUANTIFIERS = 2;
const MAX_OPTIONAL_QUANTIFIERS = 8;

interface Frame {
  /** The group holds a quantifier or an alternation: repeating it may backtrack exponentially. */
  ambiguous: boolean;
}

function refuse(reason: string): never {
  throw new CofferError('INVALID_INPUT', `Invalid payee rule: pattern: ${reason}`);
}

/**
 * Compiles a user's rule regex, refusing those that can backtrack catastrophically on a
 * hostile bank row: a repeated group holding a quantifier or an alternation (`(a+)+`,
 * `(a|a)*`), backreferences and lookbehinds, and more than a couple of unbounded
 * quantifiers. The check is deliberately stricter than needed: a refused pattern can
 * always be rewritten, a slow one stalls every import.
 */
export function compileSafeRegex(pattern: string): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'iu');
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'not a regular expression';
    return refuse(`not a valid regular expression (${detail})`);
  }
  checkBacktracking(pattern);
  return regex;
}

function checkBacktracking(pattern: string): void {
  const stack: Frame[] = [{ ambiguous: false }];
  let unbounded = 0;
  let optional = 0;
  /** What a quantifier right here would repeat: nothing, a single atom, or a closed group. */
  let previous: 'none' | 'atom' | Frame = 'none';
  const top = (): Frame => stack[stack.length - 1] as Frame;

  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') {
        refuse('backreferences (\\1, \\k<name>) are not allowed in payee rules');
      }
      // \p{…}, \u{…} and \x.. are one atom; skip their braces whole.
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        i = close < 0 ? pattern.length : close;
      } else {
        i++;
      }
      previous = 'atom';
    } else if (c === '[') {
      i = endOfClass(pattern, i);
      previous = 'atom';
    } else if (c === '(') {
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) {
        refuse('lookbehinds ((?<=…), (?<!…)) are not allowed in payee rules');
      }
      stack.push({ ambiguous: false });
      previous = 'none';
      if (pattern[i + 1] === '?') i = endOfGroupPrefix(pattern, i);
    } else if (c === ')') {
      const closed = stack.pop() as Frame;
      if (stack.length === 0) refuse('unbalanced parenthesis');
      if (closed.ambiguous) top().ambiguous = true;
      previous = closed;
    } else if (c === '|') {
      top().ambiguous = true;
      previous = 'none';
    } else if (
      c === '*' ||
      c === '+' ||
      c === '?' ||
      (c === '{' && isBraceQuantifier(pattern, i))
    ) {
      let kind: 'unbounded' | 'optional' | 'fixed' = c === '?' ? 'optional' : 'unbounded';
      let repeats = Infinity;
      if (c === '{') {
        const close = pattern.indexOf('}', i);
        const [min = '', max] = pattern.slice(i + 1, close).split(',');
        repeats = Number(max === undefined ? min : max === '' ? Infinity : max);
        kind = repeats > Number(min) ? 'unbounded' : 'fixed';
        i = close;
      }
      if (pattern[i + 1] === '?') i++; // lazy: the same backtracking, in another order
      const repeatsGroup = previous !== 'none' && previous !== 'atom' && previous.ambiguous;
      if (repeatsGroup && kind !== 'optional' && repeats > 1) {
        refuse(
          'a repeated group holds a quantifier or an alternation (like (a+)+ or (a|b)*), which can take exponential time; repeat a single character class instead',
        );
      }
      if (kind === 'unbounded') unbounded++;
      if (kind === 'optional') optional++;
      if (kind !== 'fixed') top().ambiguous = true;
      previous = 'none';
    } else {
      previous = 'atom';
    }
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) {
    refuse(
      `at most ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,}) are allowed in a payee rule`,
    );
  }
  if (optional > MAX_OPTIONAL_QUANTIFIERS) {
    refuse(`at most ${MAX_OPTIONAL_QUANTIFIERS} optional parts (?) are allowed in a payee rule`);
  }
}

/** Index of the `]` closing the class opened at `start`. */
function endOfClass(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

/** Index of the last character of a group's `(?:`, `(?=`, `(?!` or `(?<name>` prefix. */
function endOfGroupPrefix(pattern: string, open: number): number {
  if (pattern[open + 2] === '<') {
    const close = pattern.indexOf('>', open + 3);
    return close < 0 ? pattern.length : close;
  }
  return open + 2;
}

function isBraceQuantifier(pattern: string, i: number): boolean {
  return /^\{\d+(,\d*)?\}/.test(pattern.slice(i, i + 24));
}
