import type { IMPORT_METHODS, StatementFileInput } from '../../../../shared/api/import.methods.js';
import { importStatementFile } from '../../import/import-statement-file.js';
import { previewStatementFile } from '../../import/import-preview.js';
import type { GroupHandlers } from '../api-handler.js';

type ValidInput = Omit<StatementFileInput, 'createCategories' | 'readerOptions'> & {
  createCategories?: boolean | undefined;
  readerOptions?: Record<string, unknown> | undefined;
};

/** The options both calls share; the bytes go to the readers from memory, never to disk. */
function importOptions(input: ValidInput) {
  const { fileName, contentBase64: _content, ...rest } = input;
  return {
    file: fileName,
    format: rest.format,
    ...(rest.account === undefined ? {} : { account: rest.account }),
    ...(rest.statementAccount === undefined ? {} : { statementAccount: rest.statementAccount }),
    createCategories: rest.createCategories ?? false,
    ...(rest.onlyCurrency === undefined ? {} : { onlyCurrency: rest.onlyCurrency }),
    readerOptions: rest.readerOptions ?? {},
  };
}

export const IMPORT_HANDLERS: GroupHandlers<typeof IMPORT_METHODS> = {
  preview: (input, { session }) =>
    previewStatementFile(session.services().vault, importOptions(input), {
      content: Buffer.from(input.contentBase64, 'base64'),
    }),
  run: async (input, context) => {
    const { session } = context;
    const { vault } = session.services();
    // One event per chunk written, sent while the import runs: the core yields to its
    // event loop between chunks (the write transaction stays open; see CallGate).
    const result = await importStatementFile(vault, importOptions(input), {
      content: Buffer.from(input.contentBase64, 'base64'),
      onProgress: ({ written }) => context.progress('import', written, null),
    });
    context.progress('import', result.rows, result.rows);
    return result;
  },
};
