import * as fs from 'node:fs';
import type { FileDownload } from '../../../../shared/api/file-payload.js';
import type {
  DOCUMENT_METHODS,
  LOCK_METHODS,
  SETTINGS_METHODS,
} from '../../../../shared/api/settings.methods.js';
import { LOGO_MAX_BYTES } from '../../../../shared/domain/settings.schema.js';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { windows, type GroupHandlers, type HandlerContext } from '../api-handler.js';
import type { AppSession } from '../app-session.js';
import { fileDownload } from '../file-download.js';

export const SETTINGS_HANDLERS: GroupHandlers<typeof SETTINGS_METHODS> = {
  getProfile: (_input, { session }) => session.services().settings.getProfile(),
  updateProfile: (patch, { session }) => session.services().settings.updateProfile(patch),
  setLogo: ({ uploadId }, { session }) => {
    const upload = session.uploads.take(uploadId);
    try {
      if (upload.size > LOGO_MAX_BYTES) {
        throw new CofferError('LOGO_TOO_LARGE', 'A logo may be at most 1 MiB');
      }
      return session.services().settings.setLogo(fs.readFileSync(upload.file));
    } finally {
      upload.remove();
    }
  },
  removeLogo: (_input, { session }) => session.services().settings.removeLogo(),
  logo: (_input, { session }) => {
    const logo = session.services().settings.readLogo();
    if (logo === null) return null;
    const extension = logo.mimeType === 'image/png' ? 'png' : 'jpg';
    return fileDownload(`logo.${extension}`, logo.mimeType, logo.content);
  },
  getPreferences: (_input, { session }) => session.services().settings.getPreferences(),
  updatePreferences: (patch, { session }) => session.services().settings.updatePreferences(patch),
};

function appLock(session: AppSession) {
  return session.services().appLock;
}

/** Every window follows the lock: one locked tab or window locks them all. */
function lockChanged(context: HandlerContext) {
  const status = appLock(context.session).status();
  context.emit({ name: 'lock.changed', data: { locked: status.locked } });
  return status;
}

export const LOCK_HANDLERS: GroupHandlers<typeof LOCK_METHODS> = {
  status: (_input, { session }) => appLock(session).status(),
  unlock: async ({ passcode }, context) => {
    await appLock(context.session).unlock(passcode);
    context.session.noteActivity();
    context.session.resumeSync(windows(context));
    return lockChanged(context);
  },
  lockNow: async (_input, context) => {
    appLock(context.session).lock();
    const status = lockChanged(context);
    await context.session.stopSync();
    return status;
  },
  activity: () => null,
  setPasscode: async ({ passcode, idleMinutes }, { session }) => {
    await appLock(session).setPasscode(passcode, idleMinutes);
    return appLock(session).status();
  },
  changePasscode: async ({ current, next }, { session }) => {
    await appLock(session).changePasscode(current, next);
    return appLock(session).status();
  },
  removePasscode: async ({ current }, { session }) => {
    await appLock(session).removePasscode(current);
    return appLock(session).status();
  },
  setIdleMinutes: ({ idleMinutes }, { session }) => {
    appLock(session).setIdleMinutes(idleMinutes);
    return appLock(session).status();
  },
  setOsUnlock: async (input, { session }) => {
    await appLock(session).setOsUnlock(input.enabled, input.enabled ? input.passcode : undefined);
    return appLock(session).status();
  },
  resetWithRecoveryKey: ({ recoveryKey }, context) => {
    appLock(context.session).resetWithRecoveryKey(recoveryKey);
    context.session.resumeSync(windows(context));
    return lockChanged(context);
  },
};

export const DOCUMENT_HANDLERS: GroupHandlers<typeof DOCUMENT_METHODS> = {
  invoicePdf: async ({ ref, locale }, { session }) => {
    const services = session.services();
    const invoice = services.invoices.get(ref);
    const bytes = await services.documents.invoicePdf(ref, locale === undefined ? {} : { locale });
    return pdfDownload(`invoice-${invoice.number ?? 'draft'}`, bytes);
  },
  quotePdf: async ({ ref, locale }, { session }) => {
    const services = session.services();
    const quote = services.quotes.get(ref);
    const bytes = await services.documents.quotePdf(ref, locale === undefined ? {} : { locale });
    return pdfDownload(`quote-${quote.number}`, bytes);
  },
};

function pdfDownload(name: string, bytes: Buffer): FileDownload {
  return fileDownload(`${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf`, 'application/pdf', bytes);
}
