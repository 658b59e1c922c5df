import type { UPLOAD_METHODS } from '../../../../shared/api/upload.methods.js';
import type { GroupHandlers } from '../api-handler.js';

export const UPLOAD_HANDLERS: GroupHandlers<typeof UPLOAD_METHODS> = {
  begin: ({ fileName, size }, { session }) => ({ uploadId: session.uploads.begin(fileName, size) }),
  append: ({ uploadId, offset, data }, { session }) => ({
    received: session.uploads.append(uploadId, offset, data),
  }),
  discard: ({ uploadId }, { session }) => {
    session.uploads.discard(uploadId);
    return null;
  },
};
