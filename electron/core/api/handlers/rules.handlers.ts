import type { RULE_METHODS } from '../../../../shared/api/rules.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const RULE_HANDLERS: GroupHandlers<typeof RULE_METHODS> = {
  list: (_input, { session }) => session.services().payeeRules.list(),
  add: (input, { session }) => session.services().payeeRules.add(input),
  remove: ({ ref }, { session }) => session.services().payeeRules.remove(ref),
};
