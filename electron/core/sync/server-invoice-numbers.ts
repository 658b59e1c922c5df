import type { InvoiceNumberSource } from '../invoicing/invoice-issuer.js';
import { SyncAccountRepository } from './sync-account.repository.js';
import { SyncAccountService } from './sync-account.service.js';

/**
 * A synced workspace's invoice numbers, from `POST /v1/workspaces/:id/invoice-numbers` on the
 * vault's stored session. The server learns only that an invoice id was issued.
 */
export class ServerInvoiceNumbers implements InvoiceNumberSource {
  constructor(private readonly account: SyncAccountService) {}

  numberFor(invoiceId: string, notBelow: number): Promise<number> {
    return this.account.withWorkspaceSession(
      async (sync, workspace) =>
        (await sync.invoiceNumber(workspace.workspaceId, invoiceId, notBelow)).number,
    );
  }
}

/** The number source of a vault linked to a workspace, or null for a local-only vault. */
export function invoiceNumberSourceFor(
  deps: ConstructorParameters<typeof SyncAccountService>[0],
): InvoiceNumberSource | null {
  if (new SyncAccountRepository(deps.vault.db).workspace() === null) return null;
  return new ServerInvoiceNumbers(new SyncAccountService(deps));
}
