import { CofferError } from '../../../shared/errors/coffer-error.js';
import { requireString } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { formatTable } from '../output.js';
import { accountService, stepUpSecrets, STEP_UP_OPTIONS } from './sync.commands.js';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function requestId(args: Parameters<Command['run']>[1]): string {
  const id = args.positionals[0] ?? '';
  if (!REQUEST_ID.test(id)) {
    throw new CofferError('INVALID_INPUT', 'A request id is a UUID, as `devices list` shows it.');
  }
  return id;
}

const age = (seconds: number): string =>
  seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;

export const devicesListCommand: Command = {
  path: ['devices', 'list'],
  summary: 'List new devices of your account waiting for approval, with the code each should show.',
  usage: 'devices list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const requests = await (await accountService(ctx)).pendingApprovals();
    if (requests.length === 0) {
      return { data: { requests }, text: 'No device is waiting for approval.' };
    }
    return {
      data: { requests },
      text: [
        formatTable(
          ['ID', 'CODE', 'DEVICE', 'IP', 'AGE'],
          requests.map((r) => [r.id, r.code, r.deviceName, r.ip, age(r.ageSeconds)]),
        ),
        '',
        'Approve only a device you are signing in yourself, and only if it shows the same code:',
        '  devices approve ID --code CODE --password-stdin [--code-stdin]',
      ].join('\n'),
    };
  },
};

export const devicesApproveCommand: Command = {
  path: ['devices', 'approve'],
  summary:
    'Give a new device of your account its keys, after checking the code it shows (password, and 2FA code if set, on stdin).',
  usage: 'devices approve ID --code CODE --password-stdin [--code-stdin]',
  options: { code: { type: 'string' }, ...STEP_UP_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const id = requestId(args);
    const code = requireString(args, 'code');
    const stepUp = await stepUpSecrets(ctx, args);
    const approved = await (await accountService(ctx)).approveDevice(id, code, stepUp);
    return {
      data: { approved: id, code: approved.code, deviceName: approved.deviceName },
      text: `Approved "${approved.deviceName}" (${approved.ip}): it now opens your keys and your workspace. Revoke it with \`sessions revoke\` if it was not yours.`,
    };
  },
};

export const devicesDenyCommand: Command = {
  path: ['devices', 'deny'],
  summary: 'Refuse a new device its request for your keys.',
  usage: 'devices deny ID',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const id = requestId(args);
    await (await accountService(ctx)).denyDevice(id);
    return {
      data: { denied: id },
      text: `Denied request ${id}. If you did not sign that device in, someone has your password: change it (and check your second factor).`,
    };
  },
};

export const DEVICES_COMMANDS: readonly Command[] = [
  devicesListCommand,
  devicesApproveCommand,
  devicesDenyCommand,
];
