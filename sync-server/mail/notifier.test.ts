import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { createSecretBox } from '../secrets/secret-box.js';
import type { UserRecord, UserRepository } from '../storage/user.repository.js';
import type { MailMessage } from './mailer.js';
import { Notifier } from './notifier.js';

function setup() {
  const secrets = createSecretBox(randomBytes(32));
  const user: UserRecord = {
    id: 'u1',
    emailLookup: 'l',
    emailSealed: secrets.seal('ana@example.com', 'email:u1'),
    passwordHash: 'h',
    createdAt: 0,
    updatedAt: 0,
    passwordChangedAt: 0,
  };
  const users = {
    findById: async (id: string) => (id === 'u1' ? user : null),
  } as unknown as UserRepository;
  const sent: MailMessage[] = [];
  const notifier = new Notifier({
    users,
    secrets,
    clock: new ManualClock(Date.UTC(2030, 0, 1)),
    mailer: { send: async (m) => void sent.push(m) },
  });
  return { notifier, sent };
}

describe('Notifier', () => {
  it('mails a new sign-in to the account address, device names flattened to one line', async () => {
    const { notifier, sent } = setup();
    await notifier.newSignIn('u1', {
      deviceName: 'Laptop\r\nSubject: fake',
      platform: 'linux',
      ip: '203.0.113.7',
      userAgent: 'ua',
      at: Date.UTC(2030, 0, 1),
      method: 'totp',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('ana@example.com');
    expect(sent[0]?.subject).toBe('New sign-in to your Coffer account');
    expect(sent[0]?.text).toContain('203.0.113.7');
    expect(sent[0]?.text).toContain('Laptop  Subject: fake');
  });

  it('describes known factor changes and passes others through', async () => {
    const { notifier, sent } = setup();
    await notifier.factorChanged('u1', 'password');
    await notifier.factorChanged('u1', 'something_else');
    expect(sent[0]?.text).toContain('Your password was changed.');
    expect(sent[1]?.text).toContain('something_else');
  });

  it('sends nothing for an unknown user', async () => {
    const { notifier, sent } = setup();
    await notifier.factorChanged('nobody', 'password');
    expect(sent).toEqual([]);
  });
});
