import { useMutation } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { saveDownload } from '../../ui/save-download.js';

/** Makes the invoice's PDF (profile, logo, payment instructions) and downloads it. */
export function InvoicePdfButton({ invoiceId }: { invoiceId: string }): React.JSX.Element {
  const pdf = useMutation({
    mutationFn: () => coffer().documents.invoicePdf({ ref: invoiceId }),
    onSuccess: saveDownload,
  });
  return (
    <div>
      <Button isPending={pdf.isPending} onPress={() => pdf.mutate()}>
        Download PDF
      </Button>
      {pdf.isError && <ErrorMessage error={pdf.error} title="The PDF was not made" />}
    </div>
  );
}
