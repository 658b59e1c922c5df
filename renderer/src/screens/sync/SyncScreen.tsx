import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { Button } from '../../ui/Button.js';
import { Progress } from '../../ui/Progress.js';
import { ApprovalStart } from './ApprovalStart.js';
import { ApprovalWait } from './ApprovalWait.js';
import { DeviceApprovals } from './DeviceApprovals.js';
import { FingerprintGroups } from './FingerprintGroups.js';
import { RecoveryKeyEntry } from './RecoveryKeyEntry.js';
import { ServerStep, type TrustedServer } from './ServerStep.js';
import { SignedInPanel } from './SignedInPanel.js';
import { SignInFlow } from './SignInFlow.js';
import { SignUpForm } from './SignUpForm.js';
import { SyncRecoveryKey } from './SyncRecoveryKey.js';
import { useSyncStatus } from './use-sync-status.js';

/**
 * Sync with a Coffer server: check and trust the server, then create an account or sign
 * in; once signed in, the sync's state, live.
 */
export function SyncScreen(): React.JSX.Element {
  const status = useSyncStatus();
  // The key made at sign-up is held here, not in the query cache, and only until Continue:
  // the vault is signed in as soon as sign-up answers, and the key must still be seen once.
  const [newAccount, setNewAccount] = useState<{
    recoveryKey: string;
    email: string;
    server: string;
  } | null>(null);
  const [server, setServer] = useState<TrustedServer | null>(null);

  let body: React.JSX.Element;
  if (newAccount !== null) {
    body = <SyncRecoveryKey {...newAccount} onDone={() => setNewAccount(null)} />;
  } else if (status === undefined) {
    body = <Progress label="Reading the sync status" />;
  } else if (status.signedIn) {
    body = (
      <>
        <DeviceApprovals />
        <SignedInPanel status={status} />
      </>
    );
  } else if (status.signIn === 'awaiting-approval') {
    body = <ApprovalWait approval={status.approval} />;
  } else if (server === null && status.signIn === 'unlock-keys') {
    // A sign-in the core holds at its last step (the screen was left and opened again).
    body = (
      <section className="card" aria-labelledby="sync-resume-heading">
        <h2 id="sync-resume-heading">Finish signing in</h2>
        <RecoveryKeyEntry onRestart={() => undefined} />
        <ApprovalStart />
      </section>
    );
  } else if (server === null) {
    body = <ServerStep onTrusted={setServer} />;
  } else {
    body = (
      <>
        <section className="card" aria-labelledby="sync-trusted-heading">
          <h2 id="sync-trusted-heading">Sync server</h2>
          <p>
            <code>{server.url}</code>, with the certificate you trusted:
          </p>
          <FingerprintGroups
            fingerprint={server.fingerprint}
            label="Trusted certificate fingerprint"
          />
          <Button onPress={() => setServer(null)}>Use another server</Button>
        </section>
        <section className="card" aria-labelledby="sync-account-heading">
          <h2 id="sync-account-heading">Your account</h2>
          <Tabs defaultSelectedKey={status.signIn === 'unlock-keys' ? 'sign-in' : 'sign-up'}>
            <TabList aria-label="Account" className="tab-list">
              <Tab id="sign-up" className="tab">
                Create an account
              </Tab>
              <Tab id="sign-in" className="tab">
                Sign in
              </Tab>
            </TabList>
            <TabPanel id="sign-up" className="tab-panel">
              <SignUpForm
                server={server}
                onSignedUp={({ recoveryKey, email }) =>
                  setNewAccount({ recoveryKey, email, server: server.url })
                }
              />
            </TabPanel>
            <TabPanel id="sign-in" className="tab-panel">
              <SignInFlow
                server={server}
                resumeAt={status.signIn === 'unlock-keys' ? 'unlock-keys' : null}
              />
            </TabPanel>
          </Tabs>
        </section>
      </>
    );
  }
  return (
    <section aria-labelledby="sync-heading" className="screen">
      <h1 id="sync-heading">Sync</h1>
      {body}
    </section>
  );
}
