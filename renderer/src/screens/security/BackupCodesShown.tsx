import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { Button } from '../../ui/Button.js';
import { saveTextFile, useCopyText } from '../../ui/save-download.js';
import { backupCodesFileText } from './security-format.js';

/**
 * Ten new backup codes, shown this once: each signs in once when the other second factor
 * is out of reach. Done waits for "I saved these"; the codes are then gone from the window.
 */
export function BackupCodesShown({
  codes,
  email,
  server,
  onDone,
}: {
  codes: readonly string[];
  email: string;
  server: string;
  onDone: () => void;
}): React.JSX.Element {
  const [saved, setSaved] = useState(false);
  const text = backupCodesFileText(codes, email, server);
  const { copied, copy } = useCopyText(codes.join('\n'));

  return (
    <div className="backup-codes" role="group" aria-labelledby="backup-codes-heading">
      <h3 id="backup-codes-heading">Your new backup codes</h3>
      <p>
        Save these now: they will not be shown again. Each code works once, in place of your
        authenticator app or email code. Any older backup codes no longer work.
      </p>
      <ol className="key-groups backup-code-list" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <Button onPress={copy}>Copy</Button>
        <Button onPress={() => saveTextFile('coffer-backup-codes.txt', text)}>Download</Button>
        <Button onPress={() => window.print()}>Print</Button>
      </div>
      <p role="status" className="status-line">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed: select the codes and copy them.'
            : ''}
      </p>
      <Checkbox className="checkbox" isSelected={saved} onChange={setSaved}>
        <span className="checkbox-box" aria-hidden="true" />I saved these backup codes somewhere
        safe
      </Checkbox>
      <Button variant="primary" isDisabled={!saved} onPress={onDone}>
        Done
      </Button>
    </div>
  );
}
