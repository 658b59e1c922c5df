import { useSearchParams } from 'react-router';
import { Button } from '../../ui/Button.js';
import { InvoiceDetailView } from './InvoiceDetailView.js';
import { InvoiceEditor } from './InvoiceEditor.js';
import { InvoiceList } from './InvoiceList.js';
import '../invoicing/invoicing.css';

/** Invoices: the list, a new draft (`?new`), or one invoice (`?id=`). */
export function InvoicesScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const creating = params.has('new');
  const showList = (): void => setParams({});
  return (
    <section aria-labelledby="invoices-heading" className="screen">
      <h1 id="invoices-heading">Invoices</h1>
      {id !== null ? (
        <InvoiceDetailView key={id} id={id} onClose={showList} />
      ) : creating ? (
        <InvoiceEditor onSaved={(invoice) => setParams({ id: invoice.id })} onCancel={showList} />
      ) : (
        <>
          <div className="button-row">
            <Button variant="primary" onPress={() => setParams({ new: '' })}>
              New invoice
            </Button>
          </div>
          <InvoiceList />
        </>
      )}
    </section>
  );
}
