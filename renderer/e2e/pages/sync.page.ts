import { expect, type Locator, type Page } from '@playwright/test';
import { AppNav } from './app-nav.page.js';

/** The Sync screen: server check, create an account or sign in, then the sync status. */
export class SyncPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await new AppNav(this.page).open('Sync');
    await expect(this.page.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  }

  serverAddress(): Locator {
    return this.page.getByRole('textbox', { name: 'Server address' });
  }

  async checkServer(url: string): Promise<void> {
    await this.serverAddress().fill(url);
    await this.page.getByRole('button', { name: 'Check server' }).click();
  }

  /** The probed certificate's fingerprint, as shown in groups. */
  fingerprint(): Locator {
    return this.page.getByRole('group', { name: 'Certificate fingerprint' });
  }

  async trustCertificate(): Promise<void> {
    await this.page.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect(
      this.page.getByRole('group', { name: 'Trusted certificate fingerprint' }),
    ).toBeVisible();
  }

  private form(name: string): Locator {
    return this.page.getByRole('form', { name });
  }

  /** A text field of the form `form`; password fields have no role, so they go by label. */
  field(form: string, label: string): Locator {
    return this.form(form).getByLabel(label, { exact: true });
  }

  async createAccount(email: string, password: string, confirm = password): Promise<void> {
    await this.page.getByRole('tab', { name: 'Create an account' }).click();
    const form = this.form('Create an account');
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await this.field('Create an account', 'Password').fill(password);
    await this.field('Create an account', 'Confirm password').fill(confirm);
    await form.getByRole('button', { name: 'Create account' }).click();
  }

  /** The Account Recovery Key shown once after sign-up. */
  recoveryKey(): Locator {
    return this.page.getByRole('group', { name: 'Account Recovery Key' });
  }

  savedCheckbox(): Locator {
    return this.page.getByRole('checkbox', { name: /I saved my Account Recovery Key/ });
  }

  /** Ticks "I saved it" from the keyboard (its box is drawn over the hidden native input). */
  async confirmSaved(): Promise<void> {
    await this.savedCheckbox().focus();
    await this.page.keyboard.press('Space');
    await expect(this.savedCheckbox()).toBeChecked();
  }

  continueButton(): Locator {
    return this.page.getByRole('button', { name: 'Continue', exact: true });
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByRole('tab', { name: 'Sign in' }).click();
    const form = this.form('Sign in');
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await this.field('Sign in', 'Password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  secondFactor(): Locator {
    return this.form('Second factor');
  }

  codeField(label = 'Code from your authenticator app'): Locator {
    return this.secondFactor().getByRole('textbox', { name: label });
  }

  async enterCode(code: string, label?: string): Promise<void> {
    await this.codeField(label).fill(code);
    await this.secondFactor().getByRole('button', { name: 'Verify code' }).click();
  }

  recoveryKeyField(): Locator {
    return this.form('Account Recovery Key').getByRole('textbox', {
      name: 'Account Recovery Key',
    });
  }

  async enterRecoveryKey(key: string): Promise<void> {
    await this.recoveryKeyField().fill(key);
    await this.form('Account Recovery Key')
      .getByRole('button', { name: 'Finish signing in' })
      .click();
  }

  /** The signed-in view's status strip. */
  status(): Locator {
    return this.page.getByRole('status', { name: 'Sync status' });
  }

  signedIn(): Locator {
    return this.page.getByRole('region', { name: 'Signed in' });
  }
}
