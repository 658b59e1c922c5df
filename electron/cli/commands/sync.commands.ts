import { hostname } from 'node:os';

import { CofferError } from '../../../shared/errors/coffer-error.js';
import { WORKSPACE_ROLES } from '../../../shared/sync/workspace-roles.js';
import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import { parseFingerprint } from '../../core/sync/client/pinned-agent.js';
import { SyncAccountService } from '../../core/sync/sync-account.service.js';
import type { ServerTarget, StepUp } from '../../core/sync/sync-account.service.js';
import { flag, oneOf, optionalString, requireString } from '../args.js';
import { NO_POSITIONALS, type Command, type CommandContext } from '../command.js';
import { formatTable } from '../output.js';
import { readStdinSecrets, type SecretName } from '../stdin-secrets.js';
import { UsageError } from '../usage-error.js';
import { approvalProgress } from './approval-progress.js';

export async function accountService(ctx: CommandContext): Promise<SyncAccountService> {
  return new SyncAccountService({
    vault: await ctx.vault(),
    keyStore: ctx.keyStore(),
    deviceName: `coffer CLI on ${hostname()}`.slice(0, 100),
  });
}

function target(args: Parameters<Command['run']>[1]): ServerTarget {
  const fingerprint = optionalString(args, 'fingerprint');
  return {
    serverUrl: requireString(args, 'server'),
    ...(fingerprint === undefined ? {} : { fingerprint: parseFingerprint(fingerprint) }),
  };
}

function requirePasswordFlag(args: Parameters<Command['run']>[1]): void {
  if (!flag(args, 'password-stdin')) {
    throw new UsageError(
      'the password is read from standard input: pass --password-stdin (never put it on the command line)',
    );
  }
}

/** Password and, with --code-stdin, the 2FA code: what a step-up asks for. */
export async function stepUpSecrets(
  ctx: CommandContext,
  args: Parameters<Command['run']>[1],
): Promise<StepUp> {
  requirePasswordFlag(args);
  const wanted: SecretName[] = ['password', ...(flag(args, 'code-stdin') ? ['code' as const] : [])];
  const secrets = await readStdinSecrets(ctx, wanted);
  const code = secrets.get('code');
  return { password: secrets.get('password') ?? '', ...(code === undefined ? {} : { code }) };
}

const SERVER_OPTIONS = {
  server: { type: 'string' },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  fingerprint: { type: 'string' },
} as const;

export const STEP_UP_OPTIONS = {
  'password-stdin': { type: 'boolean' },
  'code-stdin': { type: 'boolean' },
} as const;

function role(args: Parameters<Command['run']>[1]): WorkspaceRole {
  const value = oneOf(requireString(args, 'role'), WORKSPACE_ROLES, 'role');
  if (value === undefined) throw new UsageError('--role is required');
  return value;
}

/** The Account Recovery Key in groups, as it is shown this once. */
function recoveryKeyLines(recoveryKey: string): string[] {
  return [
    '',
    'Your Account Recovery Key, shown this once:',
    '',
    `    ${recoveryKey}`,
    '',
    'With it (and your password) a new device opens your keys and your workspace. Write it',
    'down or keep it in a password manager, away from this computer: Coffer and its server',
    'keep no copy and cannot show it again. On a new device:',
    '  coffer --vault DIR sync login --server URL --email E --password-stdin --recovery-key-stdin',
  ];
}

export const syncRegisterCommand: Command = {
  path: ['sync', 'register'],
  summary:
    'Create a sync account with this vault as its first device: device and user keys and an Account Recovery Key (shown once).',
  usage: 'sync register --server URL --email E --password-stdin [--fingerprint SHA256]',
  options: SERVER_OPTIONS,
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    requirePasswordFlag(args);
    const server = target(args);
    const email = requireString(args, 'email');
    const password = (await readStdinSecrets(ctx, ['password'])).get('password') ?? '';
    const service = await accountService(ctx);
    const { recoveryKey, userId } = await service.register(server, { email, password });
    return {
      data: { recoveryKey, userId, email },
      text: [
        `Signed up ${email} on ${server.serverUrl}; this vault is its first device.`,
        ...recoveryKeyLines(recoveryKey),
      ].join('\n'),
    };
  },
};

export const syncLoginCommand: Command = {
  path: ['sync', 'login'],
  summary:
    'Sign this vault in as a new device of an account: password, 2FA code if asked, then the Account Recovery Key, one per line on stdin; or, with --approve, wait (up to 15 minutes) for a signed-in device to approve it with the code shown.',
  usage:
    'sync login --server URL --email E --password-stdin [--code-stdin] [--recovery-key-stdin | --approve] [--fingerprint SHA256]',
  options: {
    ...SERVER_OPTIONS,
    'code-stdin': { type: 'boolean' },
    'recovery-key-stdin': { type: 'boolean' },
    approve: { type: 'boolean' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    requirePasswordFlag(args);
    if (flag(args, 'approve') && flag(args, 'recovery-key-stdin')) {
      throw new UsageError('give either --recovery-key-stdin or --approve, not both');
    }
    const server = target(args);
    const email = requireString(args, 'email');
    const wanted: SecretName[] = [
      'password',
      ...(flag(args, 'code-stdin') ? ['code' as const] : []),
      ...(flag(args, 'recovery-key-stdin') ? ['recovery key' as const] : []),
    ];
    const secrets = await readStdinSecrets(ctx, wanted);
    const code = secrets.get('code');
    const recoveryKey = secrets.get('recovery key');
    const service = await accountService(ctx);
    const { userId } = await service.login(
      server,
      {
        email,
        password: secrets.get('password') ?? '',
        ...(code === undefined ? {} : { code }),
        ...(recoveryKey === undefined ? {} : { recoveryKey }),
      },
      flag(args, 'approve') ? approvalProgress(ctx) : undefined,
    );
    return {
      data: { userId, email, server: server.serverUrl },
      text: `Signed in ${email} on ${server.serverUrl}; this vault is a new device of the account and holds its keys.`,
    };
  },
};

export const syncStatusCommand: Command = {
  path: ['sync', 'status'],
  summary: 'Show the sync server, account, device, workspace, outbox and last sync (no secrets).',
  usage: 'sync status',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const status = await (await accountService(ctx)).status();
    if (!status.signedIn) {
      return {
        data: status,
        text: `Not signed in to a sync server (local only). Outbox: ${status.outbox} change(s).`,
      };
    }
    const workspace = status.workspace;
    const lines = [
      `Server:     ${status.server}${status.fingerprint === null ? '' : ` (pinned ${status.fingerprint})`}`,
      `Session:    ${status.session === 'active' ? 'signed in' : 'server unreachable'} (session ${status.sessionId})`,
      `Account:    ${status.email} (${status.userId}); user key ${status.userKeyFingerprint}`,
      `Workspace:  ${
        workspace === null
          ? 'none (workspace create, or workspace join TOKEN)'
          : `${workspace.name ?? '(key pending: an admin shares it)'} ${workspace.id}, ${workspace.role}, key versions ${workspace.keyVersions.join(', ') || 'none'}`
      }`,
      `Outbox:     ${status.outbox} change(s) to push`,
      `Last sync:  ${status.lastSyncAt ?? 'never'}`,
    ];
    return { data: status, text: lines.join('\n') };
  },
};

export const workspaceCreateCommand: Command = {
  path: ['workspace', 'create'],
  summary: 'Create the workspace of this vault, with you as its admin and a new workspace key.',
  usage: 'workspace create --name N',
  options: { name: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const created = await (await accountService(ctx)).createWorkspace(requireString(args, 'name'));
    return {
      data: created,
      text: `Created workspace "${created.name}" (${created.workspaceId}); you are its admin.`,
    };
  },
};

export const workspaceInviteCommand: Command = {
  path: ['workspace', 'invite'],
  summary: 'Invite an email address with a role; prints a single-use token that expires.',
  usage: 'workspace invite --email E --role admin|member|viewer',
  options: { email: { type: 'string' }, role: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const email = requireString(args, 'email');
    const invite = await (await accountService(ctx)).invite(email, role(args));
    return {
      data: invite,
      text: [
        `Invited ${email}. Give them this token (single use, until ${invite.expiresAt}):`,
        '',
        `    ${invite.token}`,
        '',
        'They run: coffer --vault DIR workspace join TOKEN. Then run `workspace members` here',
        'to share the workspace key with them.',
      ].join('\n'),
    };
  },
};

export const workspaceJoinCommand: Command = {
  path: ['workspace', 'join'],
  summary: 'Join a workspace with an invite token.',
  usage: 'workspace join TOKEN',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const token = args.positionals[0] ?? '';
    const joined = await (await accountService(ctx)).join(token);
    return {
      data: joined,
      text: joined.keyReady
        ? `Joined workspace "${joined.name ?? ''}" (${joined.workspaceId}) as ${joined.role}.`
        : `Joined workspace ${joined.workspaceId} as ${joined.role}. Its key comes once an admin runs \`workspace members\` on their device; \`sync status\` fetches it then.`,
    };
  },
};

export const workspaceMembersCommand: Command = {
  path: ['workspace', 'members'],
  summary:
    "List the workspace's members; pins their keys and, on an admin's device, shares the workspace key with new members.",
  usage: 'workspace members',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const result = await (await accountService(ctx)).members();
    const table = formatTable(
      ['EMAIL', 'ROLE', 'KEY', 'USER KEY FINGERPRINT'],
      result.members.map((m) => [
        m.email,
        m.role,
        m.hasKey ? 'yes' : 'pending',
        m.keyFingerprint ?? '(none yet)',
      ]),
    );
    const shared =
      result.sealedTo.length === 0
        ? ''
        : `\nShared the workspace key with ${result.sealedTo.join(', ')}: compare their key fingerprints with them.`;
    return { data: result, text: `${table}${shared}` };
  },
};

export const workspaceRoleCommand: Command = {
  path: ['workspace', 'role'],
  summary: "Change a member's role (admin; password, and 2FA code if set, on stdin).",
  usage: 'workspace role --email E --role admin|member|viewer --password-stdin [--code-stdin]',
  options: { email: { type: 'string' }, role: { type: 'string' }, ...STEP_UP_OPTIONS },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const email = requireString(args, 'email');
    const newRole = role(args);
    const stepUp = await stepUpSecrets(ctx, args);
    const { userId } = await (await accountService(ctx)).setRole(email, newRole, stepUp);
    return { data: { userId, email, role: newRole }, text: `${email} is now ${newRole}.` };
  },
};

export const workspaceRemoveCommand: Command = {
  path: ['workspace', 'remove'],
  summary:
    'Remove a member and rotate the workspace key; their devices crypto-shred it at their next contact, but what they hold cannot be recalled from one that never comes back online (admin; password, and 2FA code if set, on stdin).',
  usage: 'workspace remove --email E --password-stdin [--code-stdin]',
  options: { email: { type: 'string' }, ...STEP_UP_OPTIONS },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const email = requireString(args, 'email');
    const stepUp = await stepUpSecrets(ctx, args);
    const { userId, workspaceKeyVersion } = await (
      await accountService(ctx)
    ).removeMember(email, stepUp);
    return {
      data: { userId, email, removed: true, workspaceKeyVersion },
      text:
        `Removed ${email} from the workspace; the workspace key is now version ${workspaceKeyVersion ?? '?'}, which ${email} does not hold, so nothing written from now on is theirs to read. ` +
        'Their devices crypto-shred the workspace at their next contact with the server. What their devices already synced cannot be recalled from a device that never comes back online.',
    };
  },
};

export const sessionsListCommand: Command = {
  path: ['sessions', 'list'],
  summary: "List your account's signed-in devices; the current one is marked.",
  usage: 'sessions list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const sessions = await (await accountService(ctx)).sessions();
    return {
      data: { sessions },
      text: formatTable(
        ['ID', 'DEVICE', 'IP', 'LAST SEEN', ''],
        sessions.map((s) => [s.id, s.deviceName, s.ip, s.lastSeenAt, s.current ? '(current)' : '']),
      ),
    };
  },
};

export const sessionsRevokeCommand: Command = {
  path: ['sessions', 'revoke'],
  summary:
    'Sign one of your other devices out and rotate your user and workspace keys; its next contact crypto-shreds its vault, but what it already holds cannot be recalled if it never comes back online (password, and 2FA code if set, on stdin).',
  usage: 'sessions revoke ID --password-stdin [--code-stdin]',
  options: STEP_UP_OPTIONS,
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const id = args.positionals[0] ?? '';
    if (!/^[0-9a-f-]{36}$/.test(id))
      throw new CofferError(
        'INVALID_INPUT',
        'A session id is a UUID, as `sessions list` shows it.',
      );
    const stepUp = await stepUpSecrets(ctx, args);
    const keys = await (await accountService(ctx)).revokeSession(id, stepUp);
    return {
      data: { revoked: id, ...keys },
      text:
        `Revoked session ${id}. Your user key is now version ${keys.userKeyVersion}` +
        (keys.workspaceKeyVersion === null
          ? ''
          : ` and the workspace key version ${keys.workspaceKeyVersion}`) +
        ', which that device does not hold. Its vault is crypto-shredded at its next contact with the server; data it already synced cannot be recalled if it never comes back online.',
    };
  },
};

export const SYNC_ACCOUNT_COMMANDS: readonly Command[] = [
  syncRegisterCommand,
  syncLoginCommand,
  syncStatusCommand,
  workspaceCreateCommand,
  workspaceInviteCommand,
  workspaceJoinCommand,
  workspaceMembersCommand,
  workspaceRoleCommand,
  workspaceRemoveCommand,
  sessionsListCommand,
  sessionsRevokeCommand,
];
