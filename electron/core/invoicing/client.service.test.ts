import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  changesSince,
  createInvoicingKit,
  expectRejected,
  lastSeq,
  line,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
beforeEach(async () => {
  kit = await createInvoicingKit();
});
afterEach(() => kit.cleanup());

describe('ClientService', () => {
  it('creates a client and records the change with every field', () => {
    const client = kit.clients.create({
      name: 'Acme Ltd',
      email: 'billing@acme.test',
      defaultCurrency: 'USD',
    });
    expect(client).toMatchObject({
      name: 'Acme Ltd',
      email: 'billing@acme.test',
      phone: null,
      address: null,
      taxId: null,
      notes: '',
      defaultCurrency: 'USD',
    });
    const [change] = changesSince(kit);
    expect(change).toMatchObject({
      collection: 'clients',
      recordId: client.id,
      op: 'upsert',
    });
    expect(Object.keys(change?.fields ?? {}).sort()).toEqual(
      [
        'address',
        'createdAt',
        'defaultCurrency',
        'email',
        'name',
        'notes',
        'phone',
        'taxId',
        'updatedAt',
      ].sort(),
    );
  });

  it('resolves by id or by name, case-insensitively, and says what was not found', () => {
    const client = kit.clients.create({ name: 'Zoë Studio' });
    expect(kit.clients.get(client.id).id).toBe(client.id);
    expect(kit.clients.get('zoë studio').id).toBe(client.id);
    expect(kit.clients.get('  ZOË STUDIO ').id).toBe(client.id);
    expectRejected(kit, 'NOT_FOUND', () => kit.clients.get('Nobody'), /No client named "Nobody"/);
    expectRejected(
      kit,
      'NOT_FOUND',
      () => kit.clients.get('01900000-0000-7000-8000-000000000000'),
      /No client with id/,
    );
  });

  it('refuses a duplicate name and invalid input, writing nothing', () => {
    kit.clients.create({ name: 'Acme' });
    expectRejected(kit, 'DUPLICATE', () => kit.clients.create({ name: 'ACME' }));
    expectRejected(kit, 'INVALID_INPUT', () => kit.clients.create({ name: '' }), /name/);
    expectRejected(
      kit,
      'INVALID_INPUT',
      () => kit.clients.create({ name: 'B', email: 'not-an-email' }),
      /email/,
    );
    expectRejected(kit, 'UNKNOWN_CURRENCY', () =>
      kit.clients.create({ name: 'B', defaultCurrency: 'ABC' }),
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.clients.create({ name: 'B', colour: 'red' } as never),
    );
  });

  it('updates only the given fields and records only what changed', () => {
    const client = kit.clients.create({ name: 'Acme', email: 'a@acme.test' });
    const seq = lastSeq(kit);
    kit.clock.now += 1000;
    const updated = kit.clients.update('acme', { phone: '+1 555 0100' });
    expect(updated).toMatchObject({
      name: 'Acme',
      email: 'a@acme.test',
      phone: '+1 555 0100',
    });
    const changes = changesSince(kit, seq);
    expect(changes).toHaveLength(1);
    expect(Object.keys(changes[0]?.fields ?? {}).sort()).toEqual(['phone', 'updatedAt']);
    expect(kit.clients.update(client.id, { phone: '+1 555 0100' })).toEqual(updated); // no-op writes nothing
    expect(changesSince(kit, seq)).toHaveLength(1);
  });

  it('deletes (tombstones) a client without documents, and refuses one with invoices', () => {
    const lonely = kit.clients.create({ name: 'Lonely' });
    kit.clients.delete('Lonely');
    expectRejected(kit, 'NOT_FOUND', () => kit.clients.get(lonely.id));
    expect(changesSince(kit).at(-1)).toMatchObject({
      collection: 'clients',
      recordId: lonely.id,
      op: 'delete',
    });

    kit.clients.create({ name: 'Busy', defaultCurrency: 'EUR' });
    kit.invoices.createDraft({
      client: 'Busy',
      lines: [line('Work', 1000, 100)],
    });
    expectRejected(kit, 'INVALID_STATE', () => kit.clients.delete('Busy'));
    expect(kit.clients.list().map((c) => c.name)).toEqual(['Busy']);
  });
});
