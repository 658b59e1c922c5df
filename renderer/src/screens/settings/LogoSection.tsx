import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { FileTrigger } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { uploadFile } from '../../api/upload-file.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { base64Blob } from '../../ui/save-download.js';

/** The logo on documents: a PNG or JPEG of at most 1 MiB, judged by the core by its bytes. */
export function LogoSection(): React.JSX.Element {
  const logo = useQuery({
    queryKey: ['settings', 'logo'],
    queryFn: () => coffer().settings.logo({}),
  });
  const setLogo = useCofferMutation(async (file: File) =>
    coffer().settings.setLogo({ uploadId: await uploadFile(file) }),
  );
  const removeLogo = useCofferMutation(() => coffer().settings.removeLogo({}));
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    const data = logo.data;
    if (data === undefined || data === null) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(base64Blob(data.contentBase64, data.mediaType));
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [logo.data]);

  return (
    <section className="card" aria-labelledby="logo-heading">
      <h2 id="logo-heading">Logo</h2>
      {logo.isPending && <Progress label="Loading the logo" />}
      {preview !== null ? (
        <img className="logo-preview" src={preview} alt="Your logo" />
      ) : (
        <p>No logo yet.</p>
      )}
      <div className="button-row">
        <FileTrigger
          acceptedFileTypes={['image/png', 'image/jpeg']}
          onSelect={(files) => {
            const file = files?.[0];
            if (file !== undefined) setLogo.mutate(file);
          }}
        >
          <Button isPending={setLogo.isPending}>Choose logo…</Button>
        </FileTrigger>
        {preview !== null && (
          <Button
            variant="danger"
            isPending={removeLogo.isPending}
            onPress={() => removeLogo.mutate(undefined)}
          >
            Remove logo
          </Button>
        )}
      </div>
      {setLogo.isError && <ErrorMessage error={setLogo.error} title="The logo was not saved" />}
      {removeLogo.isError && (
        <ErrorMessage error={removeLogo.error} title="The logo was not removed" />
      )}
    </section>
  );
}
