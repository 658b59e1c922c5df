import type { CliIo } from './cli-io.js';

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutFlushed: (text) =>
      new Promise((resolve, reject) => {
        process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
      }),
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    now: () => Date.now(),
    onStopSignal: (listener) => {
      const signals = ['SIGINT', 'SIGTERM'] as const;
      const stopListening = (): void => {
        for (const signal of signals) process.off(signal, handler);
      };
      // The first signal asks for a clean stop; a second one ends the process the usual way.
      const handler = (): void => {
        stopListening();
        listener();
      };
      for (const signal of signals) process.on(signal, handler);
      return stopListening;
    },
  };
}
