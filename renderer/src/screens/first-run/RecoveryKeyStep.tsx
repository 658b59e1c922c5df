import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { Button } from '../../ui/Button.js';
import { saveTextFile, useCopyText } from '../../ui/save-download.js';

/**
 * The Recovery Key, shown once: the user copies, downloads or prints it and confirms they
 * saved it before the app opens. Coffer keeps no copy, so this is the only chance.
 */
export function RecoveryKeyStep({
  recoveryKey,
  onDone,
}: {
  recoveryKey: string;
  onDone: () => void;
}): React.JSX.Element {
  const [saved, setSaved] = useState(false);
  const { copied, copy } = useCopyText(recoveryKey);
  const download = () =>
    saveTextFile(
      'coffer-recovery-key.txt',
      `Coffer Recovery Key\n\n${recoveryKey}\n\nKeep this somewhere safe and offline. Anyone with it and a copy of your vault can open the vault.\n`,
    );

  return (
    <main className="first-run" id="main">
      <h1>Save your Recovery Key</h1>
      <p>
        If this computer&apos;s keychain is lost or reset, the Recovery Key is the only way to open
        your vault. Coffer does not keep a copy and cannot show it again.
      </p>
      <p className="recovery-key" data-testid="recovery-key" aria-label="Recovery Key">
        {recoveryKey}
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
        <span className="checkbox-box" aria-hidden="true" />I have saved my Recovery Key somewhere
        safe
      </Checkbox>
      <Button variant="primary" isDisabled={!saved} onPress={onDone}>
        Continue to Coffer
      </Button>
    </main>
  );
}
