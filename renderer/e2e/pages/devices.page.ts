import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Device approval on the Sync screen: the new device's "Approve from a signed-in device" and
 * its wait with the code; the signed-in device's list of requests with Approve and Deny.
 */
export class DevicesPage {
  constructor(private readonly page: Page) {}

  /** New device, at the key step: asks for approval instead of typing the Recovery Key. */
  async askForApproval(): Promise<void> {
    await this.page.getByRole('button', { name: 'Approve from a signed-in device' }).click();
    await expect(this.waitRegion()).toBeVisible();
  }

  waitRegion(): Locator {
    return this.page.getByRole('region', { name: 'Approve this device' });
  }

  /** The code the new device shows while it waits. */
  async shownCode(): Promise<string> {
    const code = this.waitRegion().getByLabel('Approval code', { exact: true });
    await expect(code).toHaveText(/\S/);
    return ((await code.textContent()) ?? '').trim();
  }

  waitProgress(): Locator {
    return this.waitRegion().getByRole('progressbar');
  }

  /** Signed-in device: the notice listing requests. */
  notice(): Locator {
    return this.page.getByRole('region', { name: /asks? to sign in$/ });
  }

  request(deviceName: string): Locator {
    return this.notice().getByRole('form', { name: deviceName });
  }

  codeHere(deviceName: string): Locator {
    return this.request(deviceName).getByLabel(`Code for ${deviceName}`, { exact: true });
  }

  typedCodeField(deviceName: string): Locator {
    return this.request(deviceName).getByRole('textbox', { name: 'Code shown on the new device' });
  }

  async approve(deviceName: string, code: string): Promise<void> {
    await this.typedCodeField(deviceName).fill(code);
    await this.request(deviceName).getByRole('button', { name: 'Approve' }).click();
  }

  /** The shared step-up dialog the server's refusal opens over the request. */
  stepUpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Confirm it is you' });
  }

  async confirmStepUp(password: string): Promise<void> {
    await this.stepUpDialog().getByLabel('Password', { exact: true }).fill(password);
    await this.stepUpDialog().getByRole('button', { name: 'Confirm' }).click();
  }
}
