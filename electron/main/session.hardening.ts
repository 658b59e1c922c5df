/**
 * The default session: the app protocol serving the built renderer, and permissions
 * refused unless `permissionDecision` allows them, for requests and silent checks alike.
 */
import { protocol, session } from 'electron';
import { APP_SCHEME } from '../../shared/app/desktop-ipc.js';
import { createAppProtocolHandler } from './app-protocol.handler.js';
import { APP_SCHEME_REGISTRATION } from './app-scheme.js';
import { permissionDecision } from './permission.policy.js';

/** Must run before `app` is ready: `app://` is a standard, secure scheme like https. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { ...APP_SCHEME_REGISTRATION, privileges: { ...APP_SCHEME_REGISTRATION.privileges } },
  ]);
}

export function hardenDefaultSession(rendererRoot: string): void {
  const target = session.defaultSession;
  target.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot));
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      permissionDecision({
        permission,
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
      }),
    );
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision({
      permission,
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      isMainFrame: details.isMainFrame,
    }),
  );
  target.setDevicePermissionHandler(() => false);
}
