import { CofferError } from '../../../shared/errors/coffer-error.js';
import { depositProblem, type DepositFields } from '../../../shared/invoice/deposit.js';

/**
 * Refuses a deposit that cannot stand on the document as it will be stored: the schemas
 * check what came with the input, this checks the merged result (a patch that changes only
 * the lines or the due date can break a deposit set earlier).
 */
export function assertDeposit(
  deposit: DepositFields,
  totalMinor: number,
  documentDueDate: string | null,
  what: 'invoice' | 'quote' | 'recurring schedule',
): void {
  const problem = depositProblem(deposit, totalMinor, documentDueDate);
  if (problem === null) return;
  throw new CofferError(
    problem.field === 'dueDate' ? 'INVALID_DATE' : 'INVALID_AMOUNT',
    `Invalid ${what}: deposit.${problem.field}: ${problem.message}`,
    { issues: [{ path: ['deposit', problem.field], code: 'custom', message: problem.message }] },
  );
}
