import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { Button } from '../../ui/Button.js';
import { saveTextFile, useCopyText } from '../../ui/save-download.js';
import { recoveryKeyFileText, recoveryKeyGroups } from './sync-format.js';

/**
 * The Account Recovery Key made at sign-up, shown this once: every new device needs it to
 * sign in, and neither Coffer nor the server keeps a copy. Copy, download or print it;
 * Continue waits for "I saved it".
 */
export function SyncRecoveryKey({
  recoveryKey,
  email,
  server,
  onDone,
}: {
  recoveryKey: string;
  email: string;
  server: string;
  onDone: () => void;
}): React.JSX.Element {
  const [saved, setSaved] = useState(false);
  const { copied, copy } = useCopyText(recoveryKey);
  const download = () =>
    saveTextFile(
      'coffer-account-recovery-key.txt',
      recoveryKeyFileText(recoveryKey, email, server),
    );

  return (
    <section className="card sync-recovery" aria-labelledby="sync-recovery-heading">
      <h2 id="sync-recovery-heading">Save your Account Recovery Key</h2>
      <p>
        The account <strong>{email}</strong> is ready. To sign in to it on another device you will
        need this Recovery Key as well as your password. Coffer and the server keep no copy, and it
        will not be shown again.
      </p>
      <p className="recovery-key" role="group" aria-label="Account Recovery Key">
        {recoveryKeyGroups(recoveryKey).map((group, index) => (
          // Groups can repeat; their place is what identifies them.
          <span key={index} className="key-group">
            {index > 0 ? `-${group}` : group}
          </span>
        ))}
      </p>
      <div className="button-row">
        <Button onPress={copy}>Copy</Button>
        <Button onPress={download}>Download</Button>
        <Button onPress={() => window.print()}>Print</Button>
      </div>
      <p role="status" className="status-line">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed: select the key and copy it.'
            : ''}
      </p>
      <Checkbox className="checkbox" isSelected={saved} onChange={setSaved}>
        <span className="checkbox-box" aria-hidden="true" />I saved my Account Recovery Key
        somewhere safe
      </Checkbox>
      <Button variant="primary" isDisabled={!saved} onPress={onDone}>
        Continue
      </Button>
    </section>
  );
}
