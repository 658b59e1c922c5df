import type { Command } from '../command.js';
import { CONFLICTS_COMMANDS } from './conflicts.commands.js';
import { DEVICES_COMMANDS } from './devices.commands.js';
import { INVOICING_COMMANDS } from './invoicing.commands.js';
import { INVOICING_EDIT_COMMANDS } from './invoicing-edit.commands.js';
import { DOCUMENT_EDIT_COMMANDS } from './document-edit.commands.js';
import { LEDGER_COMMANDS } from './ledger.commands.js';
import { LEDGER_EDIT_COMMANDS } from './ledger-edit.commands.js';
import { REVIEW_COMMANDS } from './review.commands.js';
import { RULE_COMMANDS } from './rule.commands.js';
import { SYNC_ACCOUNT_COMMANDS } from './sync.commands.js';
import { syncNowCommand } from './sync-now.command.js';
import { TRANSFER_COMMANDS } from './transfer.commands.js';
import {
  backupCommand,
  initCommand,
  recoverCommand,
  recoveryKeyNewCommand,
  rekeyCommand,
  restoreCommand,
  statusCommand,
} from './vault.commands.js';

export const COMMANDS: readonly Command[] = [
  initCommand,
  statusCommand,
  rekeyCommand,
  recoverCommand,
  recoveryKeyNewCommand,
  backupCommand,
  restoreCommand,
  ...LEDGER_COMMANDS,
  ...LEDGER_EDIT_COMMANDS,
  ...INVOICING_COMMANDS,
  ...INVOICING_EDIT_COMMANDS,
  ...DOCUMENT_EDIT_COMMANDS,
  ...TRANSFER_COMMANDS,
  ...RULE_COMMANDS,
  ...REVIEW_COMMANDS,
  ...CONFLICTS_COMMANDS,
  ...SYNC_ACCOUNT_COMMANDS,
  ...DEVICES_COMMANDS,
  syncNowCommand,
];
