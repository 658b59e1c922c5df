/**
 * A signed-in device's side of device approval: the new devices of the account waiting for
 * the user key, each with the short code derived on this device, and Approve or Deny. The
 * code the user types (read off the new device) goes in; no key or token comes out.
 */
import * as z from 'zod';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

export interface PendingDeviceApproval {
  id: string;
  /** Derived here: approve only when the new device shows the same. */
  code: string;
  deviceName: string;
  platform: string;
  ip: string;
  /** ISO instants. */
  createdAt: string;
  expiresAt: string;
}

/** The server's request ids are UUIDs. */
const RequestIdSchema = z.string().trim().uuid();

export const DEVICE_METHODS = {
  pendingApprovals: apiMethod<PendingDeviceApproval[]>()(EmptyInputSchema),
  /**
   * Approves once `code` matches the one derived here (APPROVAL_CODE_MISMATCH otherwise, and
   * nothing is sent). The server wants the session stepped up (`security.stepUp`) first:
   * without it the call fails with STEP_UP_REQUIRED, after the code was checked.
   */
  approve: apiMethod<PendingDeviceApproval>()(
    z.strictObject({ id: RequestIdSchema, code: z.string().trim().min(1).max(64) }),
  ),
  deny: apiMethod<{ denied: true }>()(z.strictObject({ id: RequestIdSchema })),
} as const;
