import type { CONFLICT_METHODS } from '../../../../shared/api/conflicts.methods.js';
import { ConflictService } from '../../sync/apply/conflict.service.js';
import { conflictViews } from '../../sync/apply/conflict-views.js';
import type { GroupHandlers } from '../api-handler.js';

export const CONFLICT_HANDLERS: GroupHandlers<typeof CONFLICT_METHODS> = {
  list: (_input, { session }) => {
    const vault = session.services().vault;
    return conflictViews(vault, new ConflictService(vault).list());
  },
  count: (_input, { session }) => new ConflictService(session.services().vault).list().length,
  resolve: ({ id, keep }, context) => {
    const vault = context.session.services().vault;
    const resolved = new ConflictService(vault).resolve(id, keep);
    context.emit({ name: 'data.changed', data: { collections: [resolved.collection] } });
    return conflictViews(vault, [resolved])[0] as ReturnType<typeof conflictViews>[number];
  },
};
