import { useState } from 'react';
import type { AttachmentUpload } from '../../../../shared/api/attachment-upload.js';
import type { ContractView } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { AttachmentPreview } from '../invoicing/AttachmentPreview.js';
import { ConfirmButton } from '../invoicing/ConfirmButton.js';
import { FileField } from '../invoicing/FileField.js';
import { CONTRACT_STATUS_LABELS, StatusBadge } from '../invoicing/status-labels.js';

/** One contract: its document, a new document while it is not signed, and its next step. */
export function ContractDetail({ contract }: { contract: ContractView }): React.JSX.Element {
  const id = { id: contract.id };
  const send = useCofferMutation(() => coffer().contracts.send(id));
  const sign = useCofferMutation(() => coffer().contracts.sign(id));
  const voidIt = useCofferMutation(() => coffer().contracts.void(id));
  const [file, setFile] = useState<AttachmentUpload | null>(null);
  const attach = useCofferMutation((upload: AttachmentUpload) =>
    coffer().contracts.attachFile({ id: contract.id, file: upload }),
  );
  const failed = [send, sign, voidIt].find((m) => m.isError);
  const editable = contract.status === 'draft' || contract.status === 'sent';
  return (
    <article
      className="card"
      aria-labelledby="contract-detail-heading"
      data-testid="contract-detail"
    >
      <div className="detail-header">
        <h2 id="contract-detail-heading">{contract.title}</h2>
        <StatusBadge status={contract.status} label={CONTRACT_STATUS_LABELS[contract.status]} />
      </div>
      <p>For {contract.clientName}</p>
      {contract.attachment === null ? (
        <p>No document attached yet.</p>
      ) : (
        <AttachmentPreview
          key={contract.attachment.id}
          attachment={contract.attachment}
          queryKey={['contracts', 'readFile', { id: contract.id, file: contract.attachment.id }]}
          read={() => coffer().contracts.readFile(id)}
        />
      )}
      {editable && (
        <div className="form">
          <FileField label="New document" onChange={setFile} />
          <Button
            isDisabled={file === null}
            isPending={attach.isPending}
            onPress={() => {
              if (file !== null) attach.mutate(file);
            }}
          >
            Attach document
          </Button>
          {attach.isError && (
            <ErrorMessage error={attach.error} title="The document was not attached" />
          )}
        </div>
      )}
      <div className="button-row">
        {contract.status === 'draft' && (
          <Button isPending={send.isPending} onPress={() => send.mutate(undefined)}>
            Mark as sent
          </Button>
        )}
        {editable && (
          <Button
            variant="primary"
            isPending={sign.isPending}
            onPress={() => sign.mutate(undefined)}
          >
            Mark as signed
          </Button>
        )}
        {contract.status !== 'void' && (
          <ConfirmButton
            label="Void contract"
            title="Void this contract?"
            body="A void contract stays on record with its document, and can no longer be signed."
            confirmLabel="Void contract"
            isPending={voidIt.isPending}
            onConfirm={() => voidIt.mutate(undefined)}
          />
        )}
      </div>
      {failed?.isError === true && (
        <ErrorMessage error={failed.error} title="The contract was not changed" />
      )}
    </article>
  );
}
