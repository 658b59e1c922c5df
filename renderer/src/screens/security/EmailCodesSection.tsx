import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { BackupCodesShown } from './BackupCodesShown.js';
import { SECURITY_KEY, secondFactorsQuery } from './use-security-queries.js';

/**
 * Codes by email as a second factor: signing in then offers to email a 6-digit code. When
 * it is the account's first second factor, the server makes backup codes, shown once.
 */
export function EmailCodesSection({
  email,
  server,
}: {
  email: string;
  server: string;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const factors = useQuery(secondFactorsQuery);
  const stepUp = useStepUp();
  const [codes, setCodes] = useState<string[] | null>(null);
  // Made outside useMutation so its result type is inferred from the call, not the options.
  const setEmailCodes = stepUp.guard((enabled: boolean) =>
    coffer().security.setEmailCodes({ enabled }),
  );
  const toggle = useMutation({
    mutationFn: setEmailCodes,
    onSuccess: async (answer) => {
      if (answer.backupCodes !== undefined) setCodes(answer.backupCodes);
      await queryClient.invalidateQueries({ queryKey: SECURITY_KEY });
    },
  });

  let body: React.ReactNode;
  if (codes !== null) {
    body = (
      <BackupCodesShown codes={codes} email={email} server={server} onDone={() => setCodes(null)} />
    );
  } else if (factors.data === undefined) {
    body = factors.isError ? null : <Progress label="Reading your second factors" />;
  } else {
    const on = factors.data.emailCodes;
    body = (
      <>
        <p>
          {on
            ? `On: signing in can ask for a code sent to ${email}.`
            : `Off. With it on, signing in can ask for a 6-digit code sent to ${email}.`}
        </p>
        <Button
          variant={on ? 'danger' : 'primary'}
          isPending={toggle.isPending}
          onPress={() => toggle.mutate(!on)}
        >
          {toggle.isPending
            ? on
              ? 'Turning off…'
              : 'Turning on…'
            : on
              ? 'Turn off email codes'
              : 'Turn on email codes'}
        </Button>
        {toggle.isError && <ErrorMessage error={toggle.error} title="Not changed" />}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="security-email-heading">
      <h2 id="security-email-heading">Codes by email</h2>
      {body}
      {stepUp.dialog}
    </section>
  );
}
