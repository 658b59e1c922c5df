import type {
  ACCOUNT_METHODS,
  BALANCE_METHODS,
  BUDGET_METHODS,
  CATEGORY_METHODS,
  REVIEW_METHODS,
  TRANSACTION_METHODS,
} from '../../../../shared/api/ledger.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const ACCOUNT_HANDLERS: GroupHandlers<typeof ACCOUNT_METHODS> = {
  list: (input, { session }) => session.services().accounts.list(input),
  get: ({ ref }, { session }) => session.services().accounts.get(ref),
  create: (input, { session }) => session.services().accounts.create(input),
  update: ({ ref, patch }, { session }) => session.services().accounts.update(ref, patch),
  archive: ({ ref }, { session }) => session.services().accounts.archive(ref),
  unarchive: ({ ref }, { session }) => session.services().accounts.unarchive(ref),
  delete: ({ ref }, { session }) => {
    session.services().accounts.delete(ref);
    return null;
  },
};

export const BALANCE_HANDLERS: GroupHandlers<typeof BALANCE_METHODS> = {
  list: (input, { session }) => session.services().balances.balances(input),
};

export const CATEGORY_HANDLERS: GroupHandlers<typeof CATEGORY_METHODS> = {
  list: (input, { session }) => session.services().categories.list(input),
  create: (input, { session }) => session.services().categories.create(input),
  update: ({ ref, patch }, { session }) => session.services().categories.update(ref, patch),
  archive: ({ ref }, { session }) => session.services().categories.archive(ref),
  delete: ({ ref }, { session }) => {
    session.services().categories.delete(ref);
    return null;
  },
};

export const TRANSACTION_HANDLERS: GroupHandlers<typeof TRANSACTION_METHODS> = {
  list: (filter, { session }) => {
    const { transactions } = session.services();
    const { limit: _limit, offset: _offset, ...where } = filter;
    return { items: transactions.list(filter), total: transactions.count(where) };
  },
  get: ({ id }, { session }) => session.services().transactions.get(id),
  create: (input, { session }) => session.services().transactions.create(input),
  update: ({ id, patch }, { session }) => session.services().transactions.update(id, patch),
  delete: ({ id }, { session }) => {
    session.services().transactions.delete(id);
    return null;
  },
};

export const BUDGET_HANDLERS: GroupHandlers<typeof BUDGET_METHODS> = {
  list: ({ month }, { session }) => session.services().budgets.list(month),
  set: (input, { session }) => session.services().budgets.set(input),
  remove: ({ month, category }, { session }) => {
    session.services().budgets.remove(month, category);
    return null;
  },
  report: ({ month, currency }, { session }) =>
    session.services().budgets.report(month, currency === undefined ? {} : { currency }),
};

export const REVIEW_HANDLERS: GroupHandlers<typeof REVIEW_METHODS> = {
  list: (_input, { session }) => session.services().transactionReviews.listOpen(),
  count: (_input, { session }) => session.services().transactionReviews.openCount(),
  resolve: ({ id, action }, { session }) =>
    session.services().transactionReviews.resolve(id, action),
};
