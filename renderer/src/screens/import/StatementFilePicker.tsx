import { useState } from 'react';
import { FileTrigger } from 'react-aria-components';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { ACCEPTED_EXTENSIONS, readStatementFile, type PickedStatement } from './statement-file.js';

/** Picks one statement file and reads it in the window; says which file is picked. */
export function StatementFilePicker({
  picked,
  onPick,
}: {
  picked: PickedStatement | null;
  onPick: (file: PickedStatement) => void;
}): React.JSX.Element {
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="import-file">
      <FileTrigger
        acceptedFileTypes={ACCEPTED_EXTENSIONS}
        onSelect={(files) => {
          const file = files?.[0];
          if (file === undefined) return;
          setReading(true);
          setError(null);
          readStatementFile(file)
            .then(onPick)
            .catch(setError)
            .finally(() => setReading(false));
        }}
      >
        <Button variant="primary">Choose a statement file</Button>
      </FileTrigger>
      <p className="status-line" data-testid="picked-file">
        {picked === null
          ? 'CSV, OFX/QFX, QIF, CAMT.053 or MT940, up to 20 MiB.'
          : `${picked.name} (${picked.bytes.toLocaleString()} bytes)`}
      </p>
      {reading && <Progress label="Reading the file" />}
      {error !== null && <ErrorMessage error={error} title="The file could not be read" />}
    </div>
  );
}
