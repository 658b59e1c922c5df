import { expect, type Locator, type Page } from '@playwright/test';
import { AppNav } from './app-nav.page.js';

/** Workspace → Members: members, invite, roles, removal, policy, sessions, audit log. */
export class MembersPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await new AppNav(this.page).open('Workspace');
    await expect(this.page.getByRole('heading', { name: 'Workspace', level: 1 })).toBeVisible();
  }

  navLink(): Locator {
    return new AppNav(this.page).link('Workspace');
  }

  members(): Locator {
    return this.page.getByRole('table', { name: 'Members', exact: true });
  }

  memberRow(email: string): Locator {
    return this.members().getByRole('row').filter({ hasText: email });
  }

  inviteForm(): Locator {
    return this.page.getByRole('form', { name: 'Invite a member' });
  }

  /** Makes an invite and answers its link and token as shown. */
  async invite(
    email: string,
    role: 'admin' | 'member' | 'viewer',
  ): Promise<{
    link: string;
    token: string;
  }> {
    const form = this.inviteForm();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await this.choose(form.getByRole('button', { name: /Role/ }), role);
    await form.getByRole('button', { name: 'Invite' }).click();
    const made = this.page.getByRole('region', { name: 'Invite to send' });
    await expect(made).toContainText(email);
    const link = (await made.getByLabel('Invite link').textContent()) ?? '';
    const token = (await made.getByLabel('Invite token').textContent()) ?? '';
    return { link: link.trim(), token: token.trim() };
  }

  roleChoice(email: string): Locator {
    return this.page.getByRole('button', { name: new RegExp(`Role of ${escape(email)}`) });
  }

  async changeRole(email: string, role: string): Promise<void> {
    await this.choose(this.roleChoice(email), role);
    await this.memberRow(email).getByRole('button', { name: 'Change role' }).click();
  }

  removeButton(email: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${email}` });
  }

  removeDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Remove / });
  }

  stepUpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Confirm it is you' });
  }

  /** Answers the step-up dialog with the password (the account has no second factor). */
  async confirmStepUp(password: string): Promise<void> {
    const dialog = this.stepUpDialog();
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    await dialog.getByRole('button', { name: /Confirm/ }).click();
    await expect(dialog).toHaveCount(0);
  }

  requireMfa(): Locator {
    return this.page.getByRole('checkbox', { name: /Require two-factor sign-in/ });
  }

  sessions(): Locator {
    return this.page.getByRole('table', { name: "Members' sessions" });
  }

  audit(): Locator {
    return this.page.getByRole('table', { name: 'Audit log' });
  }

  async filterAudit(label: 'Event type' | 'Member', option: string): Promise<void> {
    await this.choose(
      this.page
        .getByRole('group', { name: 'Audit log filters' })
        .getByRole('button', { name: new RegExp(label) }),
      option,
    );
  }

  /** Ticks or clears "Show reads too" (devices fetching keys, members and changes). */
  async showAuditReads(show: boolean): Promise<void> {
    const box = this.page
      .getByRole('group', { name: 'Audit log filters' })
      .getByRole('checkbox', { name: /Show reads too/ });
    if ((await box.isChecked()) !== show) {
      await box.focus();
      await this.page.keyboard.press('Space');
    }
    await expect(box).toBeChecked({ checked: show });
  }

  auditPage(): Locator {
    return this.page.getByRole('status').filter({ hasText: /^Page \d+/ });
  }

  mfaNotice(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'Two-factor sign-in required' });
  }

  /** Picks an option of a react-aria Select by clicking it open. */
  private async choose(trigger: Locator, option: string): Promise<void> {
    await trigger.click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
