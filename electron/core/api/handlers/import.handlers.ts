import type { IMPORT_METHODS, StatementFileInput } from '../../../../shared/api/import.methods.js';
import { importStatementFile } from '../../import/import-statement-file.js';
import { previewStatementFile } from '../../import/import-preview.js';
import type { GroupHandlers } from '../api-handler.js';

/** Rows between two progress events: often enough for a bar, rare enough to cost nothing. */
export const IMPORT_PROGRESS_EVERY = 250;

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
    let done = 0;
    const result = await importStatementFile(vault, importOptions(input), {
      content: Buffer.from(input.contentBase64, 'base64'),
      onRow: () => {
        done += 1;
        if (done % IMPORT_PROGRESS_EVERY === 0) context.progress('import', done, null);
      },
    });
    context.progress('import', result.rows, result.rows);
    return result;
  },
};
