import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { BackupCodesShown } from './BackupCodesShown.js';
import { SECURITY_KEY, secondFactorsQuery } from './use-security-queries.js';

/** How many backup codes are left, and ten new ones (the old stop working), shown once. */
export function BackupCodesSection({
  email,
  server,
}: {
  email: string;
  server: string;
}): React.JSX.Element | null {
  const queryClient = useQueryClient();
  const factors = useQuery(secondFactorsQuery);
  const stepUp = useStepUp();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  // Made outside useMutation so its result type is inferred from the call, not the options.
  const regenerateCodes = stepUp.guard(() => coffer().security.regenerateBackupCodes({}));
  const regenerate = useMutation({
    mutationFn: regenerateCodes,
    onSuccess: async ({ backupCodes }) => {
      setConfirming(false);
      setCodes(backupCodes);
      await queryClient.invalidateQueries({ queryKey: SECURITY_KEY });
    },
  });

  const data = factors.data;
  if (data === undefined) return null;
  const hasFactor = data.totp || data.emailCodes || data.passkeys > 0;
  let body: React.ReactNode;
  if (codes !== null) {
    body = (
      <BackupCodesShown codes={codes} email={email} server={server} onDone={() => setCodes(null)} />
    );
  } else if (!hasFactor) {
    body = <p>Backup codes come with a second factor: turn one on above.</p>;
  } else {
    body = (
      <>
        <p>
          {data.backupCodesRemaining} of 10 unused. Each signs you in once when you cannot use your
          other second factor.
        </p>
        {confirming ? (
          <div role="group" aria-label="Make new backup codes">
            <p>Make ten new codes? The codes you have now stop working at once.</p>
            <div className="button-row">
              <Button
                variant="primary"
                isPending={regenerate.isPending}
                onPress={() => regenerate.mutate()}
              >
                {regenerate.isPending ? 'Making codes…' : 'Make new codes'}
              </Button>
              <Button onPress={() => setConfirming(false)}>Keep the codes I have</Button>
            </div>
          </div>
        ) : (
          <Button onPress={() => setConfirming(true)}>New backup codes</Button>
        )}
        {regenerate.isError && <ErrorMessage error={regenerate.error} title="No new codes" />}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="security-backup-heading">
      <h2 id="security-backup-heading">Backup codes</h2>
      {body}
      {stepUp.dialog}
    </section>
  );
}
