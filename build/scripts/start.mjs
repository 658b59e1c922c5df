// `npm start` until the desktop shell lands: say so plainly and show the command line.
import { spawnSync } from 'node:child_process';

process.stdout.write(
  'Coffer: the desktop window and web mode are not built yet; the vault is usable from the\n' +
    'command line today: npm run cli -- --vault DIR <command>\n\n',
);
const result = spawnSync('npx', ['tsx', 'electron/cli/main.ts', '--help'], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
