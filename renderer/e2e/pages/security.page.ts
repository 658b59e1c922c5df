import { expect, type Locator, type Page } from '@playwright/test';
import { AppNav } from './app-nav.page.js';

/**
 * Settings → Security: the sync account's password, authenticator app, email codes, backup
 * codes, signed-in devices and sign-in history, and the step-up dialog over them.
 */
export class SecurityPage {
  constructor(private readonly page: Page) {}

  /** From the navigation's Settings, through its Security link. */
  async open(): Promise<void> {
    await new AppNav(this.page).open('Settings');
    await this.page
      .getByRole('region', { name: 'Security' })
      .getByRole('link', { name: 'Security settings' })
      .click();
    await expect(this.heading()).toBeVisible();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { name: 'Security', level: 1 });
  }

  section(
    name:
      | 'Password'
      | 'Authenticator app'
      | 'Codes by email'
      | 'Backup codes'
      | 'Signed-in devices'
      | 'Sign-in history'
      | 'Not signed in',
  ): Locator {
    return this.page.getByRole('region', { name });
  }

  // Step-up

  stepUpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Confirm it is you' });
  }

  stepUpPassword(): Locator {
    return this.stepUpDialog().getByLabel('Password', { exact: true });
  }

  async confirmStepUp(password: string, code?: { method?: string; code: string }): Promise<void> {
    const dialog = this.stepUpDialog();
    await expect(dialog).toBeVisible();
    await this.stepUpPassword().fill(password);
    if (code !== undefined) {
      if (code.method !== undefined) await dialog.getByRole('radio', { name: code.method }).check();
      await dialog.getByRole('textbox', { name: /^Code|Backup code/ }).fill(code.code);
    }
    await dialog.getByRole('button', { name: 'Confirm' }).click();
  }

  // Password

  private passwordForm(): Locator {
    return this.page.getByRole('form', { name: 'Change password' });
  }

  passwordField(label: 'Current password' | 'New password' | 'New password again'): Locator {
    return this.passwordForm().getByLabel(label, { exact: true });
  }

  async changePassword(current: string, next: string, endOthers = false): Promise<void> {
    await this.passwordField('Current password').fill(current);
    await this.passwordField('New password').fill(next);
    await this.passwordField('New password again').fill(next);
    const others = this.passwordForm().getByRole('checkbox', { name: /sign out all my other/ });
    if ((await others.isChecked()) !== endOthers) {
      await others.focus();
      await this.page.keyboard.press('Space');
    }
    await this.submitPassword();
  }

  async submitPassword(): Promise<void> {
    await this.passwordForm().getByRole('button', { name: 'Change password' }).click();
  }

  passwordStatus(): Locator {
    return this.section('Password').getByRole('status');
  }

  // Authenticator app

  async startTotpSetup(): Promise<void> {
    await this.section('Authenticator app')
      .getByRole('button', { name: 'Set up authenticator app' })
      .click();
  }

  qrCode(): Locator {
    return this.section('Authenticator app').getByRole('img', { name: /QR code/ });
  }

  /** The key as the screen writes it, in groups; joined, as an app takes it. */
  async totpKey(): Promise<string> {
    const key = this.section('Authenticator app').getByRole('group', {
      name: 'Authenticator key',
    });
    return ((await key.textContent()) ?? '').replace(/\s+/g, '');
  }

  totpCodeField(): Locator {
    return this.page
      .getByRole('form', { name: 'Confirm the authenticator app' })
      .getByRole('textbox', { name: 'Code from the app' });
  }

  async confirmTotp(code: string): Promise<void> {
    await this.totpCodeField().fill(code);
    await this.page
      .getByRole('form', { name: 'Confirm the authenticator app' })
      .getByRole('button', { name: 'Turn on' })
      .click();
  }

  // Backup codes, shown once

  backupCodes(): Locator {
    return this.page.getByRole('list', { name: 'Backup codes' });
  }

  async backupCodeTexts(): Promise<string[]> {
    return (await this.backupCodes().getByRole('listitem').allTextContents()).map((t) => t.trim());
  }

  savedCodesCheckbox(): Locator {
    return this.page.getByRole('checkbox', { name: /I saved these backup codes/ });
  }

  doneButton(): Locator {
    return this.page.getByRole('button', { name: 'Done', exact: true });
  }

  /** Ticks "I saved these" from the keyboard (its box is drawn over the hidden input), then Done. */
  async finishBackupCodes(): Promise<void> {
    await this.savedCodesCheckbox().focus();
    await this.page.keyboard.press('Space');
    await expect(this.savedCodesCheckbox()).toBeChecked();
    await this.doneButton().click();
    await expect(this.backupCodes()).toHaveCount(0);
  }

  // Email codes

  async turnOnEmailCodes(): Promise<void> {
    await this.section('Codes by email')
      .getByRole('button', { name: 'Turn on email codes' })
      .click();
  }

  // Sessions

  sessionsTable(): Locator {
    return this.page.getByRole('table', { name: 'Signed-in devices' });
  }

  sessionRow(deviceName: string | RegExp): Locator {
    return this.sessionsTable().getByRole('row', { name: deviceName });
  }

  async signOutSession(deviceName: string): Promise<void> {
    await this.sessionsTable()
      .getByRole('button', { name: `Sign out ${deviceName}` })
      .click();
  }

  // History

  historyTable(): Locator {
    return this.page.getByRole('table', { name: 'Sign-in history' });
  }
}
