import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { ServerProbeResult } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { TextInput } from '../../ui/TextInput.js';
import { FingerprintGroups } from './FingerprintGroups.js';
import { errorText } from './sync-errors.js';

/** The server a sign-up or sign-in goes to, with the certificate the user chose to trust. */
export interface TrustedServer {
  url: string;
  fingerprint: string;
}

const FormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Enter the server address')
    .refine((text) => /^https:\/\//i.test(text), 'The server address starts with https://'),
});
type FormValues = z.input<typeof FormSchema>;

/**
 * The first step: the server's address, then its certificate's fingerprint in full, to
 * compare with the one the server printed when it started. Nothing is sent to the server
 * (no email, no password) until the user trusts that certificate; every later call pins it.
 */
export function ServerStep({
  onTrusted,
}: {
  onTrusted: (server: TrustedServer) => void;
}): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { url: 'https://' },
  });
  const probe = useMutation({
    mutationFn: (url: string) => coffer().sync.probeServer({ url }),
    // Whatever stopped the check (no answer, not a Coffer server, a bad address) is about
    // the address, so it is shown there.
    onError: (error) => form.setError('url', { message: errorText(error) }),
  });
  const submit = form.handleSubmit((values) => probe.mutate(values.url));
  const result = probe.data;

  return (
    <section className="card" aria-labelledby="sync-server-heading">
      <h2 id="sync-server-heading">Sync server</h2>
      <form
        className="form"
        aria-label="Sync server address"
        noValidate
        onSubmit={(event) => void submit(event)}
      >
        <Controller
          control={form.control}
          name="url"
          render={({ field, fieldState }) => (
            <TextInput
              label="Server address"
              description="The address the server's operator gave you, such as https://sync.example.com:8443"
              type="url"
              autoComplete="url"
              {...field}
              onChange={(value) => {
                field.onChange(value);
                // A new address needs a new check: the old fingerprint is not for it.
                if (probe.data !== undefined) probe.reset();
              }}
              error={fieldState.error?.message}
            />
          )}
        />
        <Button type="submit" isPending={probe.isPending}>
          {probe.isPending ? 'Checking the server…' : 'Check server'}
        </Button>
      </form>
      {result !== undefined && <CertificateCheck result={result} onTrusted={onTrusted} />}
    </section>
  );
}

function CertificateCheck({
  result,
  onTrusted,
}: {
  result: ServerProbeResult;
  onTrusted: (server: TrustedServer) => void;
}): React.JSX.Element {
  return (
    <div className="form" aria-labelledby="sync-cert-heading" role="region">
      <h3 id="sync-cert-heading">Check the server&apos;s certificate</h3>
      <p>
        Coffer server {result.version} answered at <code>{result.url}</code>. Its certificate
        fingerprint is:
      </p>
      <FingerprintGroups fingerprint={result.fingerprint} label="Certificate fingerprint" />
      <p>
        Compare it with the <code>fingerprint:</code> line the server printed when it started, or
        the one its operator sent you (there it may be in lower case, without spaces). If every
        group matches, trust it. If any group differs, stop: you may not be talking to your server.
        {result.caSigned ? ' This certificate is also signed by a certificate authority.' : ''}
      </p>
      <Button
        variant="primary"
        onPress={() => onTrusted({ url: result.url, fingerprint: result.fingerprint })}
      >
        Trust this certificate
      </Button>
    </div>
  );
}
