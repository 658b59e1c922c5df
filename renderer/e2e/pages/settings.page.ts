import { expect, type Page } from '@playwright/test';

/** Settings: profile, logo, this device's preferences, app lock. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  private profile() {
    return this.page.getByRole('form', { name: 'Profile on invoices and quotes' });
  }

  async saveProfile(values: { name: string; email?: string }): Promise<void> {
    const form = this.profile();
    await form.getByLabel('Business or your name').fill(values.name);
    if (values.email !== undefined) await form.getByLabel('Email').fill(values.email);
    await form.getByRole('button', { name: 'Save profile' }).click();
  }

  async expectProfileSaved(): Promise<void> {
    await expect(this.profile().getByRole('status')).toHaveText('Profile saved.');
  }

  /** The error the core gave for one field, shown next to that field. */
  fieldError(label: string) {
    return this.profile().getByRole('textbox', { name: label });
  }

  private logo() {
    return this.page.getByRole('region', { name: 'Logo' });
  }

  /** Picks `file` with the "Choose logo…" button, as the system's file dialog would. */
  async chooseLogo(file: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.logo().getByRole('button', { name: 'Choose logo…' }).click();
    await (await chooser).setFiles(file);
  }

  /** The logo as the section shows it, once its bytes have come back from the vault. */
  logoPreview() {
    return this.logo().getByRole('img', { name: 'Your logo' });
  }

  async turnOnAppLock(passcode: string, idleMinutes: number): Promise<void> {
    const section = this.page.getByRole('region', { name: 'App lock' });
    await section.getByLabel('New passcode').fill(passcode);
    await section.getByLabel('Lock after minutes idle').fill(String(idleMinutes));
    await section.getByRole('button', { name: 'Turn on app lock' }).click();
    await expect(
      section.getByText(`On: Coffer locks after ${idleMinutes} minutes idle.`),
    ).toBeVisible();
  }

  appLockSection() {
    return this.page.getByRole('region', { name: 'App lock' });
  }

  /** "Unlock with Touch ID / Windows Hello": only where the desktop app reports one. */
  osUnlockSetting() {
    return this.page.getByTestId('os-unlock-setting');
  }

  async turnOnOsUnlock(name: string, passcode: string): Promise<void> {
    const setting = this.osUnlockSetting();
    await setting.getByLabel(`Passcode to turn on ${name}`).fill(passcode);
    await setting.getByRole('button', { name: `Unlock with ${name}` }).click();
  }

  async lockNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lock now' }).click();
  }
}
